// Launcher for shaders/reparam_kl_full.wgsl: the full-covariance Gaussian posterior's sampling + KL.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createUniform } from '../gpu/matrix.ts';
import { fullHeadSize, type FullKl } from '../parts/latent/full_layout.ts';
import type { ReparamBuffers } from './reparam.ts';

export function reparamKlFull(ctx: GpuContext, kl: FullKl, b: ReparamBuffers, scale: number): { forward: Dispatch; backward: Dispatch } {
  const shader = 'reparam_kl_full';
  const M = b.h.rows, L = b.z.cols, H = fullHeadSize(L);
  if (kl !== 'closed' && kl !== 'mc') fail(`${shader}: KL must be "closed" or "mc", got ${String(kl)}`);
  if (b.h.cols !== H) fail(`${shader}: encoder output has ${b.h.cols} columns but a full-covariance posterior of latent ${L} needs ${H} (mu, logvar, ${H - 2 * L} lower-triangle entries)`);
  for (const m of [b.z, b.dz]) if (m.rows !== M || m.cols !== L) fail(`${shader}: ${m.label} is ${m.rows}x${m.cols}, expected ${M}x${L}`);
  if (b.dh.rows !== M || b.dh.cols !== H) fail(`${shader}: ${b.dh.label} is ${b.dh.rows}x${b.dh.cols}, expected ${M}x${H}`);
  if (b.eps.rows !== 1 || b.eps.cols !== M * L) fail(`${shader}: eps holds ${b.eps.rows}x${b.eps.cols} values, expected ${M}x${L}`);
  if (b.kl.cols !== M) fail(`${shader}: KL rows hold ${b.kl.cols} entries but the batch has ${M} rows`);
  if (!Number.isFinite(scale)) fail(`${shader}: scale must be finite, got ${scale}`);
  const params = createUniform(ctx, `${shader}.params`, [
    ['u32', M], ['u32', L], ['u32', b.h.ld], ['u32', b.z.ld], ['f32', scale], ['u32', 0], ['u32', 0], ['u32', 0],
  ]);
  const constants = { MC: kl === 'mc' ? 1 : 0 };
  const fwd = ctx.pipeline(shader, 'forward', constants);
  const bwd = ctx.pipeline(shader, 'backward', constants);
  const groups: [number, number, number] = [Math.ceil(M / 64), 1, 1];
  return {
    forward: { label: `${shader}.forward`, pipeline: fwd, bindGroup: bindGroup(ctx, fwd, [{ buffer: params }, binding(b.h), binding(b.eps), binding(b.z), binding(b.kl)], shader), workgroups: groups },
    backward: { label: `${shader}.backward`, pipeline: bwd, bindGroup: bindGroup(ctx, bwd, { 0: { buffer: params }, 1: binding(b.h), 2: binding(b.eps), 5: binding(b.dz), 6: binding(b.dh) }, shader), workgroups: groups },
  };
}
