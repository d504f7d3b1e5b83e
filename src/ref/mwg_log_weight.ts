// Float64 CPU reference of shaders/mwg_log_weight.wgsl: per row, (joint, logq, logqCur) with
// joint = log p(x_obs | z) + log p(z) (Bernoulli over mask == 0 pixels only), logq = log q(z | h),
// logqCur = log q(zCur | h). Densities leave out the normalising constant that the prior and the
// posterior share (same family, nu and L), so joint - logq is the exact log importance weight.
// x, mask, logits (M, D); h (M, 2L) = [mu | logvar]; z, zCur (M, L); all dense row-major.
import { TvaeError } from '../errors.ts';

/** The latent family of the model: the prior and q are both of this kind. */
export type LatentFamily = { kind: 'normal' } | { kind: 't'; nu: number } | { kind: 'multivariate-t'; nu: number };

export interface LogWeightInputs {
  M: number;
  D: number;
  L: number;
  x: ArrayLike<number>;
  mask: ArrayLike<number>;
  logits: ArrayLike<number>;
  h: ArrayLike<number>;
  z: ArrayLike<number>;
  zCur: ArrayLike<number>;
}

/** Log density of u (L values) under the family centred at 0 with unit scale, constant left out. */
export function logDensityUnit(family: LatentFamily, u: ArrayLike<number>): number {
  if (family.kind === 'normal') {
    let s = 0;
    for (let j = 0; j < u.length; j++) s += u[j] * u[j];
    return -0.5 * s;
  }
  const nu = family.nu;
  if (!(nu > 0 && Number.isFinite(nu))) throw new TvaeError(`t family needs finite nu > 0, got ${nu}`);
  let s = 0;
  if (family.kind === 't') {
    for (let j = 0; j < u.length; j++) s += Math.log1p((u[j] * u[j]) / nu);
    return -0.5 * (nu + 1) * s;
  }
  for (let j = 0; j < u.length; j++) s += u[j] * u[j];
  return -0.5 * (nu + u.length) * Math.log1p(s / nu);
}

/** log q(z | mu, sigma) = log density of (z - mu) / sigma minus sum log sigma. */
export function logPosterior(family: LatentFamily, z: ArrayLike<number>, h: ArrayLike<number>, L: number): number {
  const s = new Float64Array(L);
  let logvarSum = 0;
  for (let j = 0; j < L; j++) {
    s[j] = (z[j] - h[j]) * Math.exp(-0.5 * h[L + j]);
    logvarSum += h[L + j];
  }
  return logDensityUnit(family, s) - 0.5 * logvarSum;
}

/** Bernoulli log-likelihood of x from logits over the observed entries (mask == 0). */
export function logLikObserved(x: ArrayLike<number>, mask: ArrayLike<number>, logits: ArrayLike<number>): number {
  let s = 0;
  for (let d = 0; d < x.length; d++) {
    if (mask[d] !== 0) continue;
    const l = logits[d];
    s += x[d] * l - Math.max(l, 0) - Math.log1p(Math.exp(-Math.abs(l)));
  }
  return s;
}

/** terms (M, 4): (joint, logq, logqCur, 0) per row, as the kernel writes them. */
export function mwgLogWeightRef(family: LatentFamily, a: LogWeightInputs): Float64Array {
  const { M, D, L } = a;
  const terms = new Float64Array(M * 4);
  const row = (v: ArrayLike<number>, m: number, n: number) => Array.prototype.slice.call(v, m * n, (m + 1) * n) as number[];
  for (let m = 0; m < M; m++) {
    const h = row(a.h, m, 2 * L), z = row(a.z, m, L);
    terms[m * 4] = logLikObserved(row(a.x, m, D), row(a.mask, m, D), row(a.logits, m, D)) + logDensityUnit(family, z);
    terms[m * 4 + 1] = logPosterior(family, z, h, L);
    terms[m * 4 + 2] = logPosterior(family, row(a.zCur, m, L), h, L);
  }
  return terms;
}
