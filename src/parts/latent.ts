// The latent part of a VAE: its posterior family q(z | x) with the prior p(z) it is paired with,
// the noise that reparameterizes it, the encoder head it needs, and its sampling + KL kernel with
// the float64 reference of the same. One file per family under latent/; this is the one place
// that picks a family from a model's configuration.
import { fail } from '../errors.ts';
import type { Dispatch, GpuContext } from '../gpu/context.ts';
import type { GpuMatrix } from '../gpu/matrix.ts';
import type { ReparamBuffers } from '../kernels/reparam.ts';
import type { Family } from '../ref/log_density.ts';
import type { Prior } from '../ref/reparam_kl.ts';
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

/** The float64 half: what the CPU model (src/ref/vae.ts) needs. */
export interface LatentRef {
  /** encoder output columns for latent size L */
  headSize(L: number): number;
  forward(h: ArrayLike<number>, eps: ArrayLike<number>, B: number, L: number): { z: Float64Array; klRows: Float64Array };
  /** dh (B, headSize) from dz (B, L) plus scale * dKL; `rowWeights` (B): the importance-weighted
   *  bound's weights, row i's KL part scaled by scale * rowWeights[i] */
  backward(h: ArrayLike<number>, eps: ArrayLike<number>, dz: ArrayLike<number>, B: number, L: number, scale: number, rowWeights?: ArrayLike<number>): Float64Array;
}

export interface LatentPart extends LatentRef {
  name: string;
  posterior: Posterior;
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
