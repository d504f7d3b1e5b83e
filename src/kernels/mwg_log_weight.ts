// Launcher for shaders/mwg_log_weight.wgsl: per-row (likRatio, wProp, wCur) of an MwG proposal,
// log rho = likRatio + wProp - wCur.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createUniform, type GpuMatrix } from '../gpu/matrix.ts';
import type { Family as LatentFamily } from '../parts/latent/family.ts';
import { validateNoise } from './sampler.ts';

export type { LatentFamily };

const MODE = { normal: 0, t: 1, 'multivariate-t': 2 } as const;

export interface LogWeightBuffers {
  /** completed image (M, D): observed pixels and the chain's current missing values, all of which count */
  x: GpuMatrix;
  /** decoder output at the proposal (M, D) */
  logits: GpuMatrix;
  /** decoder output at the current state zCur (M, D) */
  logitsCur: GpuMatrix;
  /** encoding of the completed image (M, 2L) = [mu | logvar] */
  h: GpuMatrix;
  /** proposal and current chain state (M, L) */
  z: GpuMatrix;
  zCur: GpuMatrix;
  /** output (M, 4): likRatio, wProp, wCur, 0 */
  terms: GpuMatrix;
}

export function mwgLogWeight(ctx: GpuContext, family: LatentFamily, b: LogWeightBuffers): Dispatch {
  const label = 'mwg_log_weight';
  validateNoise(family);
  const { rows: M, cols: D } = b.logits;
  const L = b.z.cols;
  for (const m of [b.x, b.logitsCur]) if (m.rows !== M || m.cols !== D) fail(`${label}: ${m.label} is ${m.rows}x${m.cols} but logits are ${M}x${D}`);
  for (const m of [b.z, b.zCur]) if (m.rows !== M || m.cols !== L) fail(`${label}: ${m.label} is ${m.rows}x${m.cols}, expected ${M}x${L}`);
  if (b.h.rows !== M || b.h.cols !== 2 * L) fail(`${label}: encoder output is ${b.h.rows}x${b.h.cols}, expected ${M}x${2 * L}`);
  if (b.terms.rows !== M || b.terms.cols !== 4) fail(`${label}: terms is ${b.terms.rows}x${b.terms.cols}, expected ${M}x4`);
  const nu = family.kind === 'normal' ? 0 : family.nu;
  const pipeline = ctx.pipeline(label, 'main', { MODE: MODE[family.kind] });
  const params = createUniform(ctx, `${label}.params`, [
    ['u32', M], ['u32', D], ['u32', L], ['u32', b.x.ld], ['u32', b.h.ld], ['u32', b.z.ld], ['f32', nu], ['u32', 0],
  ]);
  const resources = [b.x, b.logits, b.logitsCur, b.h, b.z, b.zCur, b.terms].map(binding);
  return {
    label: `${label}(${family.kind})`,
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, [{ buffer: params }, ...resources], label),
    workgroups: [Math.ceil(M / 64), 1, 1],
  };
}
