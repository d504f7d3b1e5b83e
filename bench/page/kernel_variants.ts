// The kernel families in the bench: every GEMM of a training step timed in each variant that
// fits the adapter (the original kernel is the `base` variant, so the table shows the ratio), and
// the training step with the tuner's choices against the same step forced to `base`, alternated
// in one run so a shared machine's load falls on both alike. Wall time to queue completion.
import type { GpuContext } from '../../src/gpu/context.ts';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import type { GemmShape } from '../../src/tune/family.ts';
import { tune } from '../../src/tune/measure.ts';
import { gemmRequests, kernelRequests } from '../../src/tune/requests.ts';
import { chooseVariant, describeChoices, emptyKernelTable } from '../../src/tune/table.ts';
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

export interface KernelStep {
  /** ms per training step with the tuned choices, and with every kernel family forced to `base` */
  tunedMs: number;
  baseMs: number;
  /** the tuned step's choices, one line */
  kernels: string;
}

export interface KernelSection {
  /** the tuner's choices for the bench's model, one line */
  choices: string;
  variants: VariantRow[];
  step: KernelStep;
}

/** Tunes the model's GEMMs into the context's table (so every later section runs the tuned kernels). */
export async function tuneForBench(ctx: GpuContext, config: VaeConfig): Promise<string> {
  await tune(ctx, kernelRequests(config));
  const table = { ...ctx.kernels, used: new Map<string, string>() };
  for (const { family, shape } of kernelRequests(config)) chooseVariant(table, ctx.caps, family, shape);
  return describeChoices(table);
}

/** Every GEMM of `config`'s training step (the tuner's request list), in layer order. */
export async function gemmVariantTimes(ctx: GpuContext, config: VaeConfig, reps: number): Promise<VariantRow[]> {
  const rows: VariantRow[] = [];
  for (const { family, shape: s } of gemmRequests(config)) {
    const probe = family.probe(ctx, s, 1);
    const fitting = family.variants.filter((v) => v.unfit(ctx.caps, s) === undefined);
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
  await tune(ctx, kernelRequests(config), log);
  const tunedCtx: GpuContext = { ...ctx, kernels: { ...ctx.kernels, used: new Map() } };
  const baseCtx: GpuContext = { ...ctx, kernels: emptyKernelTable(['base']) };
  const tuned = buildTrainStep(tunedCtx, config, steps + 2);
  const base = buildTrainStep(baseCtx, config, steps + 2);
  let tunedMs = Infinity, baseMs = Infinity;
  for (let round = 0; round < 3; round++) {
    for (const [step, set] of [[base, (v: number) => (baseMs = Math.min(baseMs, v))], [tuned, (v: number) => (tunedMs = Math.min(tunedMs, v))]] as const) {
      rewind(ctx, step);
      const ms = await wallMs(ctx, step.train, round === 0 ? 1 : steps);
      if (round > 0) set(ms / steps); // round 0 is the warm-up
    }
  }
  return { tunedMs, baseMs, kernels: describeChoices(tunedCtx.kernels) };
}
