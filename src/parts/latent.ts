// The latent part of a VAE: its posterior family q(z | x) with the prior p(z) it is paired with,
// the noise that reparameterizes it, the encoder head it needs, and its sampling + KL kernel (the
// float64 reference of the same is src/ref/parts.ts's, keyed by `settings`). One file per family under latent/; this is the one place
// that picks a family from a model's configuration.
import { fail } from '../errors.ts';
import type { Dispatch, GpuContext } from '../gpu/context.ts';
import type { GpuMatrix } from '../gpu/matrix.ts';
import type { ReparamBuffers } from '../kernels/reparam.ts';
import type { Family, Prior } from './latent/family.ts';
import type { FullKl } from './latent/full_layout.ts';
import { diagonalLatent } from './latent/diagonal.ts';
import { fullGaussianLatent } from './latent/full_gaussian.ts';

export type Posterior = 'diag' | 'full';

/** What a model's configuration says about its latent part. */
export interface LatentSpec {
  prior: Prior;
  /** t prior only: one chi2 per latent vector */
  multivariate?: boolean;
  /** diagonal (the default) or full covariance (Gaussian prior only) */
  posterior?: Posterior;
  /** Gaussian posteriors: the KL in closed form (the default) or as the one-sample estimate */
  kl?: 'closed' | 'mc';
}

export interface LatentPart {
  name: string;
  posterior: Posterior;
  /** what the kernel computes, resolved from the configuration: a diagonal posterior of the prior's
   *  family, or the full-covariance Gaussian with its KL form */
  settings: { posterior: 'diag'; prior: Prior } | { posterior: 'full'; kl: FullKl };
  /** encoder output columns for latent size L */
  headSize(L: number): number;
  /** the reparameterization noise, drawn by shaders/sample_eps.wgsl */
  noise: Family;
  /** `rowWeights` (1, B): the importance-weighted bound's per-row weights of the KL part */
  gpu(ctx: GpuContext, b: ReparamBuffers, scale: number, rowWeights?: GpuMatrix): { forward: Dispatch; backward: Dispatch };
}

export function latentPart(spec: LatentSpec): LatentPart {
  const posterior = spec.posterior ?? 'diag';
  if (posterior !== 'diag' && posterior !== 'full') fail(`unknown posterior "${String(posterior)}" (expected diag or full)`);
  if (spec.multivariate && spec.prior.kind !== 't') fail(`the multivariate option applies to the t prior only, not the ${spec.prior.kind} prior`);
  if (spec.kl !== undefined && spec.kl !== 'closed' && spec.kl !== 'mc') fail(`the KL is "closed" or "mc", got ${String(spec.kl)}`);
  if (spec.kl !== undefined && spec.prior.kind !== 'gaussian') fail('the KL form applies to Gaussian posteriors only (the t KL is always the one-sample estimate)');
  if (posterior === 'full') {
    if (spec.prior.kind !== 'gaussian') fail(`a full-covariance posterior needs the Gaussian prior, not the ${spec.prior.kind} prior`);
    return fullGaussianLatent(spec.kl ?? 'closed');
  }
  if (spec.prior.kind === 't') return diagonalLatent({ kind: 't', nu: spec.prior.nu, multivariate: Boolean(spec.multivariate || spec.prior.multivariate) });
  return diagonalLatent(spec.kl === 'mc' ? { kind: 'gaussian', kl: 'mc' } : { kind: 'gaussian' });
}
