// The kernel families in the bench: every GEMM of a training step timed in each variant that
// fits the adapter (the original kernel is the `base` variant, so the table shows the ratio), and
// the training step with the tuner's choices against the same step forced to `base`, alternated
// in one run so a shared machine's load falls on both alike. Wall time to queue completion.
import type { GpuContext } from '../../src/gpu/context.ts';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import type { GemmShape } from '../../src/tune/family.ts';
import { isCpuAdapter, notTunedHere } from '../../src/tune/cpu_adapter.ts';
import { tune, TUNE_MIN_WORK, type TuneResult } from '../../src/tune/measure.ts';
import { gemmRequests, kernelRequests } from '../../src/tune/requests.ts';
import { chooseVariant, describeChoices, emptyKernelTable, forcedName } from '../../src/tune/table.ts';
import { buildTrainStep, rewind } from './step.ts';
import { wallMs } from './timing.ts';

export interface VariantRow {
  family: string;
  M: number;
  N: number;
  K: number;
  /** best wall ms of each variant that fits here */
  ms: Record<string, number>;
  /** what a model built now would use (tuned, forced or the fallback) */
  chosen: string;
}

/** Timed rounds of the step comparison (after a warm-up round), base and tuned alternated. */
export const STEP_ROUNDS = 5;

export interface KernelStep {
  /** ms per training step with the tuned choices, and with every kernel family forced to `base`:
   *  the best of STEP_ROUNDS rounds each */
  tunedMs: number;
  baseMs: number;
  /** base / tuned of each round, the two timed back to back: the spread a shared machine's load
   *  puts on the ratio (a burst in one round moves the best times, not the median of these) */
  ratios?: number[];
  /** the tuned step's choices, one line */
  kernels: string;
}

export interface KernelSection {
  /** the tuner's choices for the bench's model, one line */
  choices: string;
  /** the tuner's own measurements in this run, one per (family, shape) it timed: every candidate's
   *  ms, the variants it did not time and why, and its choice; none for a shape whose choice came
   *  from the tuning cache or that is below minWork (the GPU bundle starts with no cache, and on a
   *  GPU minWork is 0: there it has every GEMM of the step) */
  tuned: TuneResult[];
  /** the smallest M·N·K the bench's tuner timed (benchMinWork) */
  minWork: number;
  variants: VariantRow[];
  step: KernelStep;
}

export type BenchTuning = Pick<KernelSection, 'choices' | 'tuned' | 'minWork'>;

/** On a GPU the bench tunes every GEMM of the step, however small: its record is what a GPU run
 *  brings back, and compiles are cheap there. On a CPU adapter it tunes what training tunes
 *  (TUNE_MIN_WORK, which leaves small GEMMs to the fallback to spare npm start): the step it times
 *  is then the one training runs, and tuning the quick bench's toy shapes (compiling the unrolled
 *  subgroup variants) took 84 s of the bundle's 120 s bench stage on a loaded lavapipe. */
export const benchMinWork = (ctx: GpuContext): number => (isCpuAdapter(ctx.caps) ? TUNE_MIN_WORK : 0);

/** Tunes the model's GEMMs into the context's table (so every later section runs the tuned kernels). */
export async function tuneForBench(ctx: GpuContext, config: VaeConfig): Promise<BenchTuning> {
  const minWork = benchMinWork(ctx);
  const tuned = await tune(ctx, kernelRequests(config), undefined, minWork);
  const table = { ...ctx.kernels, used: new Map<string, string>() };
  for (const { family, shape } of kernelRequests(config)) chooseVariant(table, ctx.caps, family, shape);
  return { choices: describeChoices(table), tuned, minWork };
}

/** Every GEMM of `config`'s training step (the tuner's request list), in layer order. */
export async function gemmVariantTimes(ctx: GpuContext, config: VaeConfig, reps: number): Promise<VariantRow[]> {
  const rows: VariantRow[] = [];
  for (const { family, shape: s } of gemmRequests(config)) {
    const probe = family.probe(ctx, s, 1);
    // what the tuner would time here, and a variant TVAE_KERNELS forces: on a CPU adapter the
    // GPU-only tiles are left out unless forced (compiling them from a cold shader cache took
    // lavapipe about 2 s each, which the GPU bundle's 2-minute bench stage cannot spare)
    const forced = forcedName(ctx.kernels, family);
    const fitting = family.variants.filter((v) => v.unfit(ctx.caps, s) === undefined && (notTunedHere(v, ctx.caps) === undefined || v.name === forced));
    const built = fitting.map((v) => ({ name: v.name, d: family.launch(ctx, probe.args, v.name) }));
    for (const b of built) await wallMs(ctx, [b.d], 1); // warm-up: pipeline compile, first touch
    const ms: Record<string, number> = {};
    for (let r = 0; r < reps; r++) for (const b of built) ms[b.name] = Math.min(ms[b.name] ?? Infinity, await wallMs(ctx, [b.d], 1));
    probe.buffers.forEach((buf) => buf.destroy());
    const chosen = chooseVariant({ ...ctx.kernels, used: new Map() }, ctx.caps, family, s).name;
    rows.push({ family: family.name, ...(s as GemmShape), ms, chosen });
  }
  return rows;
}

export async function tunedStepVsBase(ctx: GpuContext, config: VaeConfig, steps: number, log?: (line: string) => void): Promise<KernelStep> {
  await tune(ctx, kernelRequests(config), log, benchMinWork(ctx)); // as tuneForBench
  const tunedCtx: GpuContext = { ...ctx, kernels: { ...ctx.kernels, used: new Map() } };
  const baseCtx: GpuContext = { ...ctx, kernels: emptyKernelTable(['base']) };
  const tuned = buildTrainStep(tunedCtx, config, steps + 2);
  const base = buildTrainStep(baseCtx, config, steps + 2);
  const timed = { base: [] as number[], tuned: [] as number[] };
  for (let round = 0; round <= STEP_ROUNDS; round++) {
    for (const [step, times] of [[base, timed.base], [tuned, timed.tuned]] as const) {
      rewind(ctx, step);
      const ms = await wallMs(ctx, step.train, round === 0 ? 1 : steps);
      if (round > 0) times.push(ms / steps); // round 0 is the warm-up
    }
  }
  const baseMs = Math.min(...timed.base), tunedMs = Math.min(...timed.tuned);
  const ratios = timed.base.map((b, i) => b / timed.tuned[i]);
  return { tunedMs, baseMs, ratios, kernels: describeChoices(tunedCtx.kernels) };
}
