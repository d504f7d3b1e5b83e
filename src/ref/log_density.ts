// The independent oracle of every KL the project computes: fully normalised log densities of the
// latent families, written from the textbook densities, not from the KL kernels' algebra. They take
// z itself (never eps), so a KL row can be checked as log q(z | mu, sigma) - log p(z):
//   normal:          sum_j log N(z_j; mu_j, sigma_j^2)
//   iid t:           sum_j [lgamma((nu+1)/2) - lgamma(nu/2) - log(nu pi)/2 - log sigma_j
//                           - (nu+1)/2 log(1 + ((z_j - mu_j)/sigma_j)^2 / nu)]
//   multivariate t:  lgamma((nu+L)/2) - lgamma(nu/2) - L log(nu pi)/2 - sum_j log sigma_j
//                    - (nu+L)/2 log(1 + sum_j ((z_j - mu_j)/sigma_j)^2 / nu)
// The prior is the same family at mu = 0, sigma = 1. test/kl_oracle.test.ts checks that each
// density integrates to 1 by quadrature, so a wrong exponent or constant here cannot hide.
import { TvaeError } from '../errors.ts';
import { logGamma } from './stats.ts';
// The family names are production code's (src/parts/latent/family.ts), shared: names, not densities.
import type { Family } from '../parts/latent/family.ts';

export { familyOfPrior, type Family } from '../parts/latent/family.ts';

const LOG_2PI = Math.log(2 * Math.PI);

/** log density at z of the family with location mu and scales sigma (all of length L). */
export function logDensity(f: Family, z: ArrayLike<number>, mu: ArrayLike<number>, sigma: ArrayLike<number>): number {
  const L = z.length;
  if (mu.length !== L || sigma.length !== L) throw new TvaeError(`logDensity: z, mu and sigma must have one length, got ${L}, ${mu.length}, ${sigma.length}`);
  if (f.kind !== 'normal' && !(f.nu > 0 && Number.isFinite(f.nu))) throw new TvaeError(`t family needs finite nu > 0, got ${f.nu}`);
  let logScale = 0, quad = 0, perCoord = 0;
  for (let j = 0; j < L; j++) {
    const u = (z[j] - mu[j]) / sigma[j];
    logScale += Math.log(sigma[j]);
    if (f.kind === 'normal') quad += u * u;
    else if (f.kind === 't') perCoord += Math.log(1 + (u * u) / f.nu);
    else quad += u * u;
  }
  if (f.kind === 'normal') return -0.5 * L * LOG_2PI - logScale - 0.5 * quad;
  const nu = f.nu;
  if (f.kind === 't') return L * logNormaliser(nu, 1) - logScale - ((nu + 1) / 2) * perCoord;
  return logNormaliser(nu, L) - logScale - ((nu + L) / 2) * Math.log(1 + quad / nu);
}

const normalisers = new Map<string, number>();

/** log of the L-dimensional t density's constant Gamma((nu+L)/2) / (Gamma(nu/2) (nu pi)^(L/2)),
 *  cached: quadrature calls the density millions of times with the same (nu, L). */
function logNormaliser(nu: number, L: number): number {
  const key = `${nu}:${L}`;
  let c = normalisers.get(key);
  if (c === undefined) {
    c = logGamma((nu + L) / 2) - logGamma(nu / 2) - (L / 2) * Math.log(nu * Math.PI);
    normalisers.set(key, c);
  }
  return c;
}

/** log q(z | h) - log p(z) for one row: h = [mu | logvar] (2L), z (L). The one-sample KL estimate,
 *  computed without the KL kernels' formulas. */
export function logRatioOracle(f: Family, z: ArrayLike<number>, h: ArrayLike<number>): number {
  const L = z.length;
  const mu = Array.from({ length: L }, (_, j) => h[j]);
  const sigma = Array.from({ length: L }, (_, j) => Math.exp(0.5 * h[L + j]));
  return logDensity(f, z, mu, sigma) - logDensity(f, z, new Array(L).fill(0), new Array(L).fill(1));
}

/** log N(z; mu, S S^T) for a lower-triangular S with positive diagonal, by forward substitution
 *  (u = S^-1 (z - mu)): -|u|^2/2 - sum_i log S_ii - L log(2 pi)/2. S is (L, L) row-major. */
export function logDensityFullNormal(z: ArrayLike<number>, mu: ArrayLike<number>, S: ArrayLike<number>): number {
  const L = z.length;
  const u = new Float64Array(L);
  let quad = 0, logDet = 0;
  for (let i = 0; i < L; i++) {
    let r = z[i] - mu[i];
    for (let j = 0; j < i; j++) r -= S[i * L + j] * u[j];
    u[i] = r / S[i * L + i];
    quad += u[i] * u[i];
    logDet += Math.log(S[i * L + i]);
  }
  return -0.5 * quad - logDet - 0.5 * L * LOG_2PI;
}
