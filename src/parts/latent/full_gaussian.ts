// Full-covariance Gaussian posterior N(mu, S S^T) with the prior N(0, I): S lower triangular, its
// diagonal exp(logvar/2), its strictly lower part the encoder's raw outputs. Kernel:
// shaders/reparam_kl_full.wgsl; reference: src/ref/reparam_kl_full.ts; noise N(0, I).
// Encoder head: [mu | logvar | strictly lower triangle], 2L + L(L-1)/2 columns.
import { reparamKlFull } from '../../kernels/reparam_kl_full.ts';
import { fullBackward, fullForward, fullHeadSize, type FullKl } from '../../ref/reparam_kl_full.ts';
import type { LatentPart } from '../latent.ts';

export function fullGaussianLatent(kl: FullKl): LatentPart {
  return {
    name: 'full-covariance Gaussian',
    posterior: 'full',
    noise: { kind: 'normal' },
    headSize: fullHeadSize,
    forward: (h, eps, B, L) => fullForward(h, eps, B, L, kl),
    backward: (h, eps, dz, B, L, scale) => fullBackward(h, eps, dz, B, L, kl, scale),
    gpu: (ctx, b, scale) => reparamKlFull(ctx, kl, b, scale),
  };
}
