// The latent families a model is configured with: the prior (Gaussian, or Student t with nu, iid or
// multivariate) and the noise family that reparameterizes it (normal, t, multivariate t), which is
// also the family of the posterior q and of the prior p. Production code (the launchers, the
// sampler, the parts) and the float64 references (src/ref/) share these names and their
// validation; no density or KL formula lives here.
import { TvaeError } from '../../errors.ts';

/** The latent family: q and p are both of it. `multivariate` (t only) shares one chi2 per latent
 *  vector, making q and p multivariate t distributions instead of products of 1-D t's. Gaussian:
 *  the KL in closed form (the default) or as the one-sample estimate ('mc'). */
export type Prior = { kind: 'gaussian'; kl?: 'closed' | 'mc' } | { kind: 't'; nu: number; multivariate?: boolean };

/** The noise (and density) family: `t` draws each coordinate with its own chi2, `multivariate-t`
 *  one chi2 per latent vector. */
export type Family = { kind: 'normal' } | { kind: 't'; nu: number } | { kind: 'multivariate-t'; nu: number };

export function validatePrior(prior: Prior): void {
  if (prior.kind === 't') {
    if (!Number.isFinite(prior.nu) || !(prior.nu > 0)) throw new TvaeError(`t prior needs finite nu > 0, got ${prior.nu}`);
  } else if (prior.kind === 'gaussian') {
    if (prior.kl !== undefined && prior.kl !== 'closed' && prior.kl !== 'mc') throw new TvaeError(`the Gaussian KL is "closed" or "mc", got ${String(prior.kl)}`);
  } else {
    throw new TvaeError(`unknown prior kind ${(prior as { kind: string }).kind}`);
  }
}

/** The family of q and p for a model's prior (multivariate only with the t prior). */
export function familyOfPrior(prior: Prior): Family {
  if (prior.kind === 'gaussian') return { kind: 'normal' };
  return { kind: prior.multivariate ? 'multivariate-t' : 't', nu: prior.nu };
}
