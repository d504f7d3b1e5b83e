// Float64 CPU reference of shaders/mwg_log_weight.wgsl: per row, (likRatio, wProp, wCur) with
// likRatio = log p(xhat | z) - log p(xhat | zCur) (Bernoulli over every pixel of the completed
// image xhat), wProp = log p(z) - log q(z | h), wCur = log p(zCur) - log q(zCur | h). Densities
// leave out the normalising constant that the prior and the posterior share (same family, nu and
// L); it cancels in each w. log rho = likRatio + wProp - wCur.
// x, logits, logitsCur (M, D); h (M, 2L) = [mu | logvar]; z, zCur (M, L); all dense row-major.
import { TvaeError } from '../errors.ts';

import type { Family } from '../parts/latent/family.ts';

/** The latent family of the model: the prior and q are both of this kind. */
export type LatentFamily = Family;

export interface LogWeightInputs {
  M: number;
  D: number;
  L: number;
  /** the completed image: observed pixels and the chain's current missing values */
  x: ArrayLike<number>;
  /** decoder output at the proposal z and at the current state zCur */
  logits: ArrayLike<number>;
  logitsCur: ArrayLike<number>;
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

/** Bernoulli log-likelihood ratio of x over every pixel: log p(x | logits) - log p(x | logitsCur),
 *  summed per pixel as the kernel does. */
export function logLikRatio(x: ArrayLike<number>, logits: ArrayLike<number>, logitsCur: ArrayLike<number>): number {
  let s = 0;
  for (let d = 0; d < x.length; d++) s += x[d] * (logits[d] - logitsCur[d]) - (softplus(logits[d]) - softplus(logitsCur[d]));
  return s;
}

const softplus = (l: number): number => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));

/** terms (M, 4): (likRatio, wProp, wCur, 0) per row, as the kernel writes them; log rho is
 *  likRatio + wProp - wCur. */
export function mwgLogWeightRef(family: LatentFamily, a: LogWeightInputs): Float64Array {
  const { M, D, L } = a;
  const terms = new Float64Array(M * 4);
  const row = (v: ArrayLike<number>, m: number, n: number) => Array.prototype.slice.call(v, m * n, (m + 1) * n) as number[];
  for (let m = 0; m < M; m++) {
    const h = row(a.h, m, 2 * L), z = row(a.z, m, L), zCur = row(a.zCur, m, L);
    terms[m * 4] = logLikRatio(row(a.x, m, D), row(a.logits, m, D), row(a.logitsCur, m, D));
    terms[m * 4 + 1] = logDensityUnit(family, z) - logPosterior(family, z, h, L);
    terms[m * 4 + 2] = logDensityUnit(family, zCur) - logPosterior(family, zCur, h, L);
  }
  return terms;
}
