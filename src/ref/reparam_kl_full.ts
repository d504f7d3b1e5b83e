// Float64 CPU reference of shaders/reparam_kl_full.wgsl: full-covariance Gaussian posterior
// N(mu, S S^T), S = strictly-lower Lp + diag(exp(logvar/2)), against N(0, I).
// h (B, H), H = 2L + L(L-1)/2, [mu | logvar | Lp] with Lp(i, j), i > j, at 2L + i(i-1)/2 + j.
// eps (B, L) ~ N(0, I); z (B, L) = mu + S eps. KL per row in closed form (kl 'closed') or as the
// one-sample estimate log q(z) - log p(z) (kl 'mc'); backward gives dh (B, H) from dz plus scale * dKL.

// The head's layout is production code's (src/parts/latent/full_layout.ts), shared.
import { fullHeadSize, lpIndex, type FullKl } from '../parts/latent/full_layout.ts';

export { fullHeadSize, lpIndex, type FullKl };

export function fullForward(h: ArrayLike<number>, eps: ArrayLike<number>, B: number, L: number, kl: FullKl): { z: Float64Array; klRows: Float64Array } {
  const H = fullHeadSize(L);
  const z = new Float64Array(B * L), klRows = new Float64Array(B);
  for (let m = 0; m < B; m++) {
    const o = m * H;
    let s = 0;
    for (let i = 0; i < L; i++) {
      const mu = h[o + i], lv = h[o + L + i], e = eps[m * L + i];
      let zi = mu + Math.exp(lv / 2) * e, off = 0;
      for (let j = 0; j < i; j++) {
        const v = h[o + lpIndex(L, i, j)];
        zi += v * eps[m * L + j];
        off += v * v;
      }
      z[m * L + i] = zi;
      s += kl === 'mc' ? 0.5 * (zi * zi - e * e - lv) : 0.5 * (Math.exp(lv) + off + mu * mu - 1 - lv);
    }
    klRows[m] = s;
  }
  return { z, klRows };
}

export function fullBackward(h: ArrayLike<number>, eps: ArrayLike<number>, dz: ArrayLike<number>, B: number, L: number, kl: FullKl, scale: number): Float64Array {
  const H = fullHeadSize(L);
  const { z } = fullForward(h, eps, B, L, kl);
  const dh = new Float64Array(B * H);
  for (let m = 0; m < B; m++) {
    const o = m * H;
    for (let i = 0; i < L; i++) {
      const mu = h[o + i], sigma = Math.exp(h[o + L + i] / 2), e = eps[m * L + i];
      const g = dz[m * L + i] + (kl === 'mc' ? scale * z[m * L + i] : 0);
      const closed = kl === 'closed' ? 1 : 0;
      dh[o + i] = g + closed * scale * mu;
      dh[o + L + i] = 0.5 * sigma * (g * e + closed * scale * sigma) - 0.5 * scale;
      for (let j = 0; j < i; j++) dh[o + lpIndex(L, i, j)] = g * eps[m * L + j] + closed * scale * h[o + lpIndex(L, i, j)];
    }
  }
  return dh;
}
