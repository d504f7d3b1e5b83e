// Float64 CPU reference of the reparameterization trick and the per-row KL term.
// h (B,2L): columns 0..L-1 are mu, L..2L-1 are logvar; eps (B,L) given; sigma = exp(logvar/2);
// z (B,L) = mu + sigma*eps; klRows (B). Backward returns dh (B,2L) laid out [dmu | dlogvar].
// Gaussian prior: analytic KL, or with kl 'mc' the one-sample sum_j (z^2 - eps^2 - logvar)/2 (for
// importance weights). Student-t prior (nu > 0): one-sample MC KL with eps constant,
//   KL_row = log q(z) - log p(z) = -sum_j logvar_j/2 + sum over the family's radial terms:
//   iid t (one chi2 per coordinate):  sum_j a1 [log1p(z_j^2/nu) - log1p(eps_j^2/nu)],  a1 = (nu+1)/2
//   multivariate t (one chi2 per row): aL [log1p(|z|^2/nu) - log1p(|eps|^2/nu)],       aL = (nu+L)/2
//   (the normalising constants of q and p are equal and cancel). dKL/dz_j = r_j with
//   r_j = (nu+1) z_j / (nu + z_j^2) (iid)  or  (nu+L) z_j / (nu + |z|^2) (multivariate);
//   dKL/dmu_j = r_j, dKL/dlogvar_j = -1/2 + r_j eps_j sigma_j / 2.

// The prior's type and validation are production code's (src/parts/latent/family.ts), shared.
import { validatePrior, type Prior } from '../parts/latent/family.ts';
import { TvaeError } from '../errors.ts';

export { validatePrior, type Prior };

const isMultivariate = (prior: Prior): boolean => prior.kind === 't' && prior.multivariate === true;

export function reparamForward(
  h: ArrayLike<number>,
  eps: ArrayLike<number>,
  B: number,
  L: number,
  prior: Prior,
): { z: Float64Array; klRows: Float64Array } {
  validatePrior(prior);
  const z = new Float64Array(B * L);
  const klRows = new Float64Array(B);
  const mv = isMultivariate(prior);
  for (let i = 0; i < B; i++) {
    let kl = 0, sz = 0, se = 0;
    for (let j = 0; j < L; j++) {
      const mu = h[i * 2 * L + j], lv = h[i * 2 * L + L + j], e = eps[i * L + j];
      const sigma = Math.exp(lv / 2);
      const zz = mu + sigma * e;
      z[i * L + j] = zz;
      if (prior.kind === 'gaussian') {
        kl += prior.kl === 'mc' ? 0.5 * (zz * zz - e * e - lv) : -0.5 * (1 + lv - mu * mu - Math.exp(lv));
      } else if (mv) {
        kl += -lv / 2;
        sz += zz * zz;
        se += e * e;
      } else {
        const nu = prior.nu, a = (nu + 1) / 2;
        kl += -lv / 2 - a * Math.log1p((e * e) / nu) + a * Math.log1p((zz * zz) / nu);
      }
    }
    if (mv && prior.kind === 't') {
      const nu = prior.nu, a = (nu + L) / 2;
      kl += a * Math.log1p(sz / nu) - a * Math.log1p(se / nu);
    }
    klRows[i] = kl;
  }
  return { z, klRows };
}

/** dh (B,2L) from dz (B,L) (gradient of the batch loss wrt z) plus scale * dKL; with `rowWeights`
 *  (B, the importance-weighted bound's) row i's KL part is scaled by scale * rowWeights[i]. */
export function reparamBackward(
  h: ArrayLike<number>,
  eps: ArrayLike<number>,
  dz: ArrayLike<number>,
  B: number,
  L: number,
  prior: Prior,
  scale: number,
  rowWeights?: ArrayLike<number>,
): Float64Array {
  validatePrior(prior);
  if (rowWeights && prior.kind === 'gaussian' && prior.kl !== 'mc') throw new TvaeError('the importance-weighted bound needs the one-sample KL (kl "mc"), not the closed form');
  if (rowWeights && rowWeights.length !== B) throw new TvaeError(`reparamBackward: ${rowWeights.length} row weights for ${B} rows`);
  const dh = new Float64Array(B * 2 * L);
  const mv = isMultivariate(prior);
  const { z } = reparamForward(h, eps, B, L, prior);
  for (let i = 0; i < B; i++) {
    const ks = rowWeights ? scale * rowWeights[i] : scale; // the KL part's scale
    let sz = 0;
    if (mv) for (let j = 0; j < L; j++) sz += z[i * L + j] ** 2;
    for (let j = 0; j < L; j++) {
      const mi = i * 2 * L + j, li = mi + L, k = i * L + j;
      const mu = h[mi], lv = h[li], e = eps[k], g = dz[k];
      const sigma = Math.exp(lv / 2);
      let dKmu: number, dKlv: number;
      if (prior.kind === 'gaussian' && prior.kl === 'mc') {
        dKmu = z[k];
        dKlv = -0.5 + (z[k] * e * sigma) / 2;
      } else if (prior.kind === 'gaussian') {
        dKmu = mu;
        dKlv = 0.5 * (Math.exp(lv) - 1);
      } else {
        const nu = prior.nu, zz = z[k];
        const r = mv ? ((nu + L) * zz) / (nu + sz) : ((nu + 1) * zz) / (nu + zz * zz);
        dKmu = r;
        dKlv = -0.5 + (r * e * sigma) / 2;
      }
      dh[mi] = g + ks * dKmu;
      dh[li] = (g * e * sigma) / 2 + ks * dKlv;
    }
  }
  return dh;
}
