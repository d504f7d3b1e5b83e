// Launchers for the sampling + KL kernels: shaders/reparam_kl_gauss.wgsl and reparam_kl_t.wgsl.
// The two VAEs differ only here (and in how eps is drawn, kernels/sampler.ts).
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createUniform, type GpuMatrix } from '../gpu/matrix.ts';

import { validatePrior, type Prior } from '../parts/latent/family.ts';

export { validatePrior, type Prior };

export interface ReparamBuffers {
  /** encoder output (M, 2L): [mu | logvar] */
  h: GpuMatrix;
  /** noise (M, L) dense, held as one row of M*L values (1, M*L) */
  eps: GpuMatrix;
  z: GpuMatrix;
  /** KL per row (1, M) */
  kl: GpuMatrix;
  dz: GpuMatrix;
  dh: GpuMatrix;
}

function check(label: string, b: ReparamBuffers): { M: number; L: number } {
  const M = b.h.rows, L = b.z.cols;
  if (b.h.cols !== 2 * L) fail(`${label}: encoder output has ${b.h.cols} columns but must be 2 x latent (${2 * L})`);
  for (const m of [b.z, b.dz]) if (m.rows !== M || m.cols !== L) fail(`${label}: ${m.label} is ${m.rows}x${m.cols}, expected ${M}x${L}`);
  if (b.dh.rows !== M || b.dh.cols !== 2 * L) fail(`${label}: ${b.dh.label} is ${b.dh.rows}x${b.dh.cols}, expected ${M}x${2 * L}`);
  if (b.eps.rows !== 1 || b.eps.cols !== M * L) fail(`${label}: eps holds ${b.eps.rows}x${b.eps.cols} values, expected ${M}x${L}`);
  if (b.kl.cols !== M) fail(`${label}: KL rows hold ${b.kl.cols} entries but the batch has ${M} rows`);
  return { M, L };
}

/** Forward (z, kl) and backward (dh) dispatches of the prior's sampling + KL kernel. `rowWeights`
 *  (1, M): the importance-weighted bound's per-row weights of the KL part (backward_weighted), which
 *  needs each KL row to be a draw's log q - log p (the t prior's always is; the Gaussian's with kl 'mc'). */
export function reparamKl(ctx: GpuContext, prior: Prior, b: ReparamBuffers, scale: number, rowWeights?: GpuMatrix): { forward: Dispatch; backward: Dispatch } {
  validatePrior(prior);
  const shader = prior.kind === 't' ? 'reparam_kl_t' : 'reparam_kl_gauss';
  const { M, L } = check(shader, b);
  if (rowWeights) {
    if (prior.kind === 'gaussian' && prior.kl !== 'mc') fail(`${shader}: the importance-weighted bound needs the one-sample KL (kl "mc"), not the closed form`);
    if (rowWeights.rows !== 1 || rowWeights.cols !== M) fail(`${shader}: row weights are ${rowWeights.rows}x${rowWeights.cols}, expected 1x${M}`);
  }
  const nu = prior.kind === 't' ? prior.nu : 0;
  const params = createUniform(ctx, `${shader}.params`, [
    ['u32', M], ['u32', L], ['u32', b.h.ld], ['u32', b.z.ld], ['f32', scale], ['f32', nu], ['u32', 0], ['u32', 0],
  ]);
  // the t kernel's FAMILY: 1 = iid t (a chi2 per coordinate), 2 = multivariate t (a chi2 per row)
  // the Gaussian kernel's MC: 1 = one-sample log q - log p instead of the closed form
  const constants: Record<string, number> = prior.kind === 't' ? { FAMILY: prior.multivariate ? 2 : 1 } : { MC: prior.kl === 'mc' ? 1 : 0 };
  const fwd = ctx.pipeline(shader, 'forward', constants);
  const bwd = ctx.pipeline(shader, rowWeights ? 'backward_weighted' : 'backward', constants);
  const groups: [number, number, number] = [Math.ceil(M / 64), 1, 1];
  const backward: Record<number, GPUBindingResource> = { 0: { buffer: params }, 1: binding(b.h), 2: binding(b.eps), 5: binding(b.dz), 6: binding(b.dh) };
  return {
    forward: {
      label: `${shader}.forward`,
      pipeline: fwd,
      bindGroup: bindGroup(ctx, fwd, [{ buffer: params }, binding(b.h), binding(b.eps), binding(b.z), binding(b.kl)], shader),
      workgroups: groups,
    },
    backward: {
      label: `${shader}.${rowWeights ? 'backward_weighted' : 'backward'}`,
      pipeline: bwd,
      bindGroup: bindGroup(ctx, bwd, rowWeights ? { ...backward, 7: binding(rowWeights) } : backward, shader),
      workgroups: groups,
    },
  };
}
