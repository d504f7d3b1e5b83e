// Quantiles of the latent priors for the 2-D manifold grid: the inverse CDFs of N(0, 1) and of
// Student's t(nu) (the marginal of both the iid and the multivariate t prior), by bisection on the
// CDFs of src/stats/special.ts (to 1e-12; the grid needs a few digits, this needs no new special function).
import { fail } from '../errors.ts';
import { normalCdf, studentTCdf } from '../stats/special.ts';

function invert(cdf: (x: number) => number, p: number): number {
  if (!(p > 0 && p < 1)) fail(`a quantile needs a probability in (0, 1), got ${p}`);
  let lo = -1, hi = 1;
  while (cdf(lo) > p) lo *= 2;
  while (cdf(hi) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, Math.abs(lo)); i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export const normalQuantile = (p: number): number => invert(normalCdf, p);
export const tQuantile = (p: number, nu: number): number => invert((x) => studentTCdf(x, nu), p);
