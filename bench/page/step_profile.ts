// Where the tuned training step's time goes (`npm run bench:kernels -- --profile`): every
// operation the trainer encodes for one step, in its order, texture packs included as their own
// rows (copies between compute passes, as the trainer runs them, shared packs once), each timed
// alone by queue completion: enough repetitions in one submit to last TARGET_MS, minus the cost of
// an empty submit (its lowest of 5), best of `rounds`. Section 1's profile (profile.ts) times kernels one pass each
// and leaves the packs out; this one answers "what is the rest of the step".
import { encodeDispatches, type Dispatch, type DispatchEncoder, type GpuContext, type TexelCopy } from '../../src/gpu/context.ts';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import { buildTrainStep, rewind } from './step.ts';
import { wallMs } from './timing.ts';

const TARGET_MS = 20;

export interface OpRow {
  label: string;
  /** 'pack': a texture pack (a copy); 'gemm': a GEMM (without its packs); 'other': the rest */
  kind: 'pack' | 'gemm' | 'other';
  ms: number;
  gflops?: number;
}

export interface OpProfile {
  rows: OpRow[];
  /** the rows' sum, and the same step run back to back (best of `rounds` runs of `steps` steps) */
  sumMs: number;
  wallMs: number;
}

/** The operations one encodeDispatches call of `list` runs, in order: each pack (`pre`) where it
 *  runs (once while its source is unchanged), as a dispatch of its own. Found by encoding into a
 *  recorder, so it follows encodeDispatches' rules rather than restating them. */
export function encodedOps(list: readonly Dispatch[]): Dispatch[] {
  const byGroup = new Map<GPUBindGroup, Dispatch>(), byCopy = new Map<TexelCopy, Dispatch>();
  const visit = (d: Dispatch) => {
    byGroup.set(d.bindGroup, { ...d, pre: [] });
    if (d.texelCopy) byCopy.set(d.texelCopy, d);
    d.pre?.forEach(visit);
  };
  list.forEach(visit);
  const ops: Dispatch[] = [];
  let group: GPUBindGroup | undefined;
  const pass = {
    setPipeline() {},
    setBindGroup: (_: number, g: GPUBindGroup) => void (group = g),
    dispatchWorkgroups: () => void ops.push(byGroup.get(group!)!),
  } as unknown as GPUComputePassEncoder;
  const recorder: DispatchEncoder = { encoder: undefined as unknown as GPUCommandEncoder, pass: () => pass, copy: (c) => void ops.push(byCopy.get(c)!), end() {} };
  encodeDispatches(recorder, list);
  return ops;
}

export async function profileOps(ctx: GpuContext, config: VaeConfig, steps: number, rounds = 3): Promise<OpProfile> {
  const step = buildTrainStep(ctx, config, 2 + rounds * steps);
  const flops = new Map(step.train.map((d, i) => [d.label, step.flops[i]]));
  await wallMs(ctx, step.train, 1); // compiles pipelines, touches every buffer
  let empty = Infinity; // a submit and wait with nothing in it: the lowest of 5, so never overstated
  for (let r = 0; r < 5; r++) empty = Math.min(empty, await wallMs(ctx, [], 1));
  const timeOne = async (d: Dispatch, reps: number) => {
    rewind(ctx, step);
    return Math.max(0, (await wallMs(ctx, [d], reps)) - empty) / reps;
  };
  const ops = encodedOps(step.train);
  const ms = ops.map(() => Infinity);
  for (const [i, d] of ops.entries()) {
    const guess = await timeOne(d, 2);
    const reps = Math.min(500, Math.max(2, Math.ceil(TARGET_MS / Math.max(guess, 0.01))));
    for (let r = 0; r < rounds; r++) ms[i] = Math.min(ms[i], await timeOne(d, reps));
  }
  let wall = Infinity;
  for (let r = 0; r < rounds; r++) {
    rewind(ctx, step);
    wall = Math.min(wall, (await wallMs(ctx, step.train, steps)) / steps);
  }
  rewind(ctx, step);
  const rows = ops.map((d, i): OpRow => {
    const kind = d.copyOf ? 'pack' : d.label.startsWith('gemm_') ? 'gemm' : 'other';
    const f = kind === 'gemm' ? flops.get(d.label) ?? 0 : 0;
    return { label: d.label, kind, ms: ms[i], ...(f > 0 && ms[i] > 0 ? { gflops: f / (ms[i] * 1e6) } : {}) };
  });
  return { rows, sumMs: ms.reduce((a, b) => a + b, 0), wallMs: wall };
}

/** The profile as printed lines: one per operation, then the totals per kind. */
export function formatOpProfile(p: OpProfile): string[] {
  const lines = ['ms\tshare\tGFLOP/s\toperation'];
  for (const r of p.rows) lines.push(`${r.ms.toFixed(3)}\t${((100 * r.ms) / p.sumMs).toFixed(1)}%\t${r.gflops ? r.gflops.toFixed(1) : ''}\t${r.kind === 'pack' ? `  pack ${r.label}` : r.label}`);
  for (const kind of ['gemm', 'pack', 'other'] as const) {
    const rows = p.rows.filter((r) => r.kind === kind), ms = rows.reduce((a, r) => a + r.ms, 0);
    lines.push(`${kind === 'gemm' ? 'GEMMs' : kind === 'pack' ? 'texture packs' : 'everything else'}: ${ms.toFixed(2)} ms (${((100 * ms) / p.sumMs).toFixed(1)}%) in ${rows.length} operations`);
  }
  lines.push(`sum of the operations alone ${p.sumMs.toFixed(1)} ms; the step back to back ${p.wallMs.toFixed(1)} ms`);
  return lines;
}
