// Launchers for shaders/mwg_accept.wgsl: the MwG accept/reject per row (`decide`) and the Gibbs
// step for the missing pixels (`refill`: Bernoulli draws, running average of the means). The uniform carries both steps' settings; each launcher fills
// the fields its entry point reads.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createUniform, type GpuMatrix } from '../gpu/matrix.ts';
import { seedKey } from './sampler.ts';

export interface DecideBuffers {
  /** training-style state buffer; its first u32 is the step (the same one the proposal noise read) */
  state: GPUBuffer;
  /** (M, 4) from mwg_log_weight */
  terms: GpuMatrix;
  /** proposal and chain state (M, L) */
  z: GpuMatrix;
  zCur: GpuMatrix;
  /** (M, 4): log rho of this step, accepted at this step (0/1), accept count, 0 */
  chain: GpuMatrix;
}

export interface RefillBuffers {
  /** the same state buffer as decide's: the pixel draws' counter */
  state: GPUBuffer;
  chain: GpuMatrix;
  /** decoder output at the proposal (M, D) */
  logits: GpuMatrix;
  /** decoder output at the chain state (M, D); takes `logits` where the row accepted */
  logitsCur: GpuMatrix;
  /** (M, D), 1 where missing */
  mask: GpuMatrix;
  /** completed images (M, D): missing pixels redrawn in place, observed ones never written */
  xhat: GpuMatrix;
  /** running average of the Bernoulli means at the missing pixels (M, D) */
  acc: GpuMatrix;
}

type Fields = { M: number; L: number; ldZ: number; D: number; ldX: number; seed: number; stepOffset: number; force: boolean; weight: number };

function uniform(ctx: GpuContext, label: string, f: Fields): GPUBuffer {
  const [k0, k1] = seedKey(f.seed);
  return createUniform(ctx, label, [
    ['u32', f.M], ['u32', f.L], ['u32', f.ldZ], ['u32', f.D],
    ['u32', f.ldX], ['u32', k0], ['u32', k1], ['u32', f.stepOffset],
    ['u32', f.force ? 1 : 0], ['f32', f.weight], ['u32', 0], ['u32', 0],
  ]);
}

/** `force` accepts every row (the chain's first state). */
export function mwgDecide(ctx: GpuContext, b: DecideBuffers, o: { seed: number; stepOffset?: number; force: boolean }): Dispatch {
  const label = 'mwg_accept.decide';
  const { rows: M, cols: L } = b.z;
  if (b.zCur.rows !== M || b.zCur.cols !== L) fail(`${label}: ${b.zCur.label} is ${b.zCur.rows}x${b.zCur.cols}, expected ${M}x${L}`);
  for (const m of [b.terms, b.chain]) if (m.rows !== M || m.cols !== 4) fail(`${label}: ${m.label} is ${m.rows}x${m.cols}, expected ${M}x4`);
  const pipeline = ctx.pipeline('mwg_accept', 'decide');
  const params = uniform(ctx, `${label}.params`, { M, L, ldZ: b.z.ld, D: 0, ldX: 0, seed: o.seed, stepOffset: o.stepOffset ?? 0, force: o.force, weight: 0 });
  return {
    label,
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, { 0: { buffer: params }, 1: { buffer: b.state, size: 16 }, 2: binding(b.terms), 3: binding(b.z), 4: binding(b.zCur), 5: binding(b.chain) }, label),
    workgroups: [Math.ceil(M / 64), 1, 1],
  };
}

/** `weight` != 0 also adds weight * sigmoid(logitsCur) to acc at the missing pixels. `seed` and
 *  `stepOffset` must be decide's. */
export function mwgRefill(ctx: GpuContext, b: RefillBuffers, o: { seed: number; stepOffset?: number; weight: number }): Dispatch {
  const label = 'mwg_accept.refill';
  const { rows: M, cols: D } = b.xhat;
  for (const m of [b.logits, b.logitsCur, b.mask, b.acc]) if (m.rows !== M || m.cols !== D) fail(`${label}: ${m.label} is ${m.rows}x${m.cols}, expected ${M}x${D}`);
  if (b.chain.rows !== M || b.chain.cols !== 4) fail(`${label}: ${b.chain.label} is ${b.chain.rows}x${b.chain.cols}, expected ${M}x4`);
  if (!Number.isFinite(o.weight)) fail(`${label}: weight must be finite, got ${o.weight}`);
  const pipeline = ctx.pipeline('mwg_accept', 'refill');
  const params = uniform(ctx, `${label}.params`, { M, L: 0, ldZ: 0, D, ldX: b.xhat.ld, seed: o.seed, stepOffset: o.stepOffset ?? 0, force: false, weight: o.weight });
  return {
    label,
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, { 0: { buffer: params }, 1: { buffer: b.state, size: 16 }, 5: binding(b.chain), 6: binding(b.logits), 7: binding(b.mask), 8: binding(b.xhat), 9: binding(b.acc), 10: binding(b.logitsCur) }, label),
    workgroups: [Math.ceil(b.xhat.ld / 4 / 64), M, 1],
  };
}
