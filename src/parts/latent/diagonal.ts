// Diagonal posteriors with their prior of the same family: Gaussian / N(0, I) (closed-form KL, or
// the one-sample estimate), iid t / t(0, I, nu) and multivariate t / t_L(0, I, nu) (one-sample KL).
// Kernel: shaders/reparam_kl_gauss.wgsl or reparam_kl_t.wgsl (reference: src/ref/reparam_kl.ts);
// noise: sample_eps.wgsl in the same family. Encoder head: [mu | logvar], 2L columns.
import { reparamKl } from '../../kernels/reparam.ts';
import { familyOfPrior, validatePrior, type Prior } from './family.ts';
import type { LatentPart } from '../latent.ts';

export function diagonalLatent(prior: Prior): LatentPart {
  validatePrior(prior);
  const name = prior.kind === 'gaussian' ? 'diagonal Gaussian' : `${prior.multivariate ? 'multivariate' : 'iid'} t (nu=${prior.nu})`;
  return {
    name,
    posterior: 'diag',
    noise: familyOfPrior(prior),
    settings: { posterior: 'diag', prior },
    headSize: (L) => 2 * L,
    gpu: (ctx, b, scale, rowWeights) => reparamKl(ctx, prior, b, scale, rowWeights),
  };
}
