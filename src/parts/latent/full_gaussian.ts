// Full-covariance Gaussian posterior N(mu, S S^T) with the prior N(0, I): S lower triangular, its
// diagonal exp(logvar/2), its strictly lower part the encoder's raw outputs. Kernel:
// shaders/reparam_kl_full.wgsl (reference: src/ref/reparam_kl_full.ts); noise N(0, I).
// Encoder head: [mu | logvar | strictly lower triangle], 2L + L(L-1)/2 columns.
import { reparamKlFull } from '../../kernels/reparam_kl_full.ts';
import { fullHeadSize, type FullKl } from './full_layout.ts';
import type { LatentPart } from '../latent.ts';

export function fullGaussianLatent(kl: FullKl): LatentPart {
  return {
    name: 'full-covariance Gaussian',
    posterior: 'full',
    noise: { kind: 'normal' },
    settings: { posterior: 'full', kl },
    headSize: fullHeadSize,
    gpu: (ctx, b, scale) => reparamKlFull(ctx, kl, b, scale),
  };
}
