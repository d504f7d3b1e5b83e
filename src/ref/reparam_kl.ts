// Float64 CPU reference of the reparameterization trick and the per-row KL term.
// h (B,2L): columns 0..L-1 are mu, L..2L-1 are logvar; eps (B,L) given; sigma = exp(logvar/2);
// z (B,L) = mu + sigma*eps; klRows (B). Backward returns dh (B,2L) laid out [dmu | dlogvar].
// Gaussian prior: analytic KL. Student-t prior (nu > 0): one-sample MC KL with eps constant.

import { TvaeError } from '../errors.ts';

export type Prior = { kind: 'gaussian' } | { kind: 't'; nu: number };

export function validatePrior(prior: Prior): void {
  if (prior.kind === 't') {
    if (!Number.isFinite(prior.nu) || !(prior.nu > 0)) throw new TvaeError(`t prior needs finite nu > 0, got ${prior.nu}`);
  } else if (prior.kind !== 'gaussian') {
    throw new TvaeError(`unknown prior kind ${(prior as { kind: string }).kind}`);
  }
}

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
  for (let i = 0; i < B; i++) {
    let kl = 0;
    for (let j = 0; j < L; j++) {
      const mu = h[i * 2 * L + j], lv = h[i * 2 * L + L + j], e = eps[i * L + j];
      const sigma = Math.exp(lv / 2);
      const zz = mu + sigma * e;
      z[i * L + j] = zz;
      if (prior.kind === 'gaussian') {
        kl += -0.5 * (1 + lv - mu * mu - Math.exp(lv));
      } else {
        const nu = prior.nu, a = (nu + 1) / 2;
        kl += -lv / 2 - a * Math.log1p((e * e) / nu) + a * Math.log1p((zz * zz) / nu);
      }
    }
    klRows[i] = kl;
  }
  return { z, klRows };
}

/** dh (B,2L) from dz (B,L) (gradient of the batch loss wrt z) plus scale * dKL. */
export function reparamBackward(
  h: ArrayLike<number>,
  eps: ArrayLike<number>,
  dz: ArrayLike<number>,
  B: number,
  L: number,
  prior: Prior,
  scale: number,
): Float64Array {
  validatePrior(prior);
  const dh = new Float64Array(B * 2 * L);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < L; j++) {
      const mi = i * 2 * L + j, li = mi + L, k = i * L + j;
      const mu = h[mi], lv = h[li], e = eps[k], g = dz[k];
      const sigma = Math.exp(lv / 2);
      let dKmu: number, dKlv: number;
      if (prior.kind === 'gaussian') {
        dKmu = mu;
        dKlv = 0.5 * (Math.exp(lv) - 1);
      } else {
        const nu = prior.nu, zz = mu + sigma * e;
        const r = (nu + 1) * zz / (nu + zz * zz);
        dKmu = r;
        dKlv = -0.5 + (r * e * sigma) / 2;
      }
      dh[mi] = g + scale * dKmu;
      dh[li] = (g * e * sigma) / 2 + scale * dKlv;
    }
  }
  return dh;
}
