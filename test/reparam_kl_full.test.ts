// shaders/reparam_kl_full.wgsl (full-covariance Gaussian posterior, closed-form and one-sample KL)
// against src/ref/reparam_kl_full.ts; the reference's backward against central finite differences;
// and, independently, the oracle: the one-sample KL row equals log N(z; mu, S S^T) - log N(z; 0, I)
// by forward substitution (src/ref/log_density.ts), the closed form equals the Monte-Carlo mean of
// that oracle within 4 standard errors, and the GPU's z has covariance S S^T.
// GPU tolerance: 2e-5 + 2e-5 |ref| (z, dh), 1e-4 + 2e-5 |ref| (KL rows: sums of L^2 terms).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fullBackward, fullForward, fullHeadSize, lpIndex, type FullKl } from '../src/ref/reparam_kl_full.ts';
import { logDensity, logDensityFullNormal } from '../src/ref/log_density.ts';
import { createRng } from '../src/rng.ts';
import { assertClose, assertPaddingZero, normalArray, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
type Gpu = { z: Float32Array; kl: Float32Array; dh: Float32Array };
const run = (a: { M: number; L: number; kl: FullKl; h: Float32Array; eps: Float32Array; dz: Float32Array; scale: number }) => harness().call<Gpu>('reparamFull', a);

/** S (L, L) row-major of row m of h. */
function lowerOf(h: ArrayLike<number>, m: number, L: number): Float64Array {
  const H = fullHeadSize(L), S = new Float64Array(L * L);
  for (let i = 0; i < L; i++) {
    S[i * L + i] = Math.exp(h[m * H + L + i] / 2);
    for (let j = 0; j < i; j++) S[i * L + j] = h[m * H + lpIndex(L, i, j)];
  }
  return S;
}

function randomH(M: number, L: number, seed: number): Float32Array {
  const H = fullHeadSize(L), h = uniformArray(M * H, seed, -1, 1);
  for (let m = 0; m < M; m++) for (let i = 0; i < L; i++) h[m * H + L + i] = -2 + 2.5 * h[m * H + L + i] ** 2; // logvar in [-2, 0.5]
  return h;
}

for (const kl of ['closed', 'mc'] as const) {
  for (const [M, L] of [[300, 2], [7, 3], [5, 1], [9, 5]] as const) {
    test(`reparam_kl_full (${kl} KL) forward and backward, M=${M} L=${L}`, async () => {
      const H = fullHeadSize(L), scale = 1 / M;
      const h = randomH(M, L, M * 7 + L), eps = normalArray(M * L, M + L), dz = uniformArray(M * L, 3 * M, -0.2, 0.2);
      const gpu = await run({ M, L, kl, h, eps, dz, scale });
      const ref = fullForward(h, eps, M, L, kl);
      assertPaddingZero(gpu.z, M, L, 'z');
      assertPaddingZero(gpu.dh, M, H, 'dh');
      assertClose(unpad(gpu.z, M, L), ref.z, { atol: 2e-5, rtol: 2e-5 }, 'z');
      assertClose(gpu.kl, ref.klRows, { atol: 1e-4, rtol: 2e-5 }, 'KL rows');
      assertClose(unpad(gpu.dh, M, H), fullBackward(h, eps, dz, M, L, kl, scale), { atol: 2e-5, rtol: 2e-5 }, 'dh');
    });
  }
}

test('reference backward matches central finite differences of its forward (both KL forms, L = 3)', () => {
  const M = 4, L = 3, H = fullHeadSize(L), scale = 0.7;
  const h = Float64Array.from(randomH(M, L, 5)), eps = Float64Array.from(normalArray(M * L, 6)), dz = Float64Array.from(uniformArray(M * L, 7));
  for (const kl of ['closed', 'mc'] as const) {
    const F = (hh: Float64Array) => {
      const f = fullForward(hh, eps, M, L, kl);
      let s = 0;
      for (let m = 0; m < M; m++) s += scale * f.klRows[m];
      for (let k = 0; k < M * L; k++) s += dz[k] * f.z[k];
      return s;
    };
    const an = fullBackward(h, eps, dz, M, L, kl, scale);
    for (let k = 0; k < M * H; k++) {
      const d = 1e-6, hp = Float64Array.from(h), hn = Float64Array.from(h);
      hp[k] += d; hn[k] -= d;
      const fd = (F(hp) - F(hn)) / (2 * d);
      assert.ok(Math.abs(fd - an[k]) <= 1e-7 + 1e-6 * Math.abs(an[k]), `${kl} dh[${k}]: fd ${fd} vs analytic ${an[k]}`);
    }
  }
});

test('oracle: one-sample KL rows equal log N(z; mu, S S^T) - log N(z; 0, I) at the kernel\'s z', async () => {
  const M = 64, L = 4, H = fullHeadSize(L);
  const h = randomH(M, L, 21), eps = normalArray(M * L, 22);
  const gpu = await run({ M, L, kl: 'mc', h, eps, dz: new Float32Array(M * L), scale: 1 });
  const z = unpad(gpu.z, M, L);
  const oracle = Float64Array.from({ length: M }, (_, m) => {
    const zm = z.subarray(m * L, (m + 1) * L), mu = Array.from(h.subarray(m * H, m * H + L));
    return logDensityFullNormal(zm, mu, lowerOf(h, m, L)) - logDensity({ kind: 'normal' }, zm, new Array(L).fill(0), new Array(L).fill(1));
  });
  assertClose(gpu.kl, oracle, { atol: 1e-4, rtol: 1e-4 }, 'MC KL rows vs oracle');
});

test('oracle: closed-form KL equals the Monte-Carlo mean of log q - log p; z has covariance S S^T', async () => {
  const L = 3, H = fullHeadSize(L), M = 40000;
  const one = randomH(1, L, 31);
  const h = new Float32Array(M * H);
  for (let m = 0; m < M; m++) h.set(one, m * H);
  const r = createRng(32);
  const eps = Float32Array.from({ length: M * L }, () => r.normal());
  const closed = await run({ M, L, kl: 'closed', h, eps, dz: new Float32Array(M * L), scale: 1 });
  const mc = await run({ M, L, kl: 'mc', h, eps, dz: new Float32Array(M * L), scale: 1 });
  let s1 = 0, s2 = 0;
  for (const v of mc.kl) { s1 += v; s2 += v * v; }
  const mean = s1 / M, se = Math.sqrt((s2 / M - mean * mean) / M);
  assert.ok(Math.abs(mean - closed.kl[0]) <= 4 * se + 1e-4, `MC ${mean} ± ${se} vs closed ${closed.kl[0]}`);
  // covariance of z against S S^T (entrywise, 5 standard errors of a sample covariance)
  const z = unpad(closed.z, M, L), S = lowerOf(one, 0, L), mu = one.subarray(0, L);
  for (let i = 0; i < L; i++) {
    for (let j = 0; j <= i; j++) {
      let c = 0, c2 = 0;
      for (let m = 0; m < M; m++) { const v = (z[m * L + i] - mu[i]) * (z[m * L + j] - mu[j]); c += v; c2 += v * v; }
      c /= M;
      let want = 0;
      for (let k = 0; k < L; k++) want += S[i * L + k] * S[j * L + k];
      const seC = Math.sqrt((c2 / M - c * c) / M);
      assert.ok(Math.abs(c - want) <= 5 * seC, `cov(${i},${j}) = ${c}, S S^T = ${want} (SE ${seC})`);
    }
  }
});

test('underflowing sigma keeps the backward finite', async () => {
  const M = 2, L = 2, H = fullHeadSize(L);
  const h = randomH(M, L, 41);
  h[L] = -300;
  for (const kl of ['closed', 'mc'] as const) {
    const gpu = await run({ M, L, kl, h, eps: normalArray(M * L, 42), dz: uniformArray(M * L, 43), scale: 1 });
    for (const v of unpad(gpu.dh, M, H)) assert.ok(Number.isFinite(v), `${kl}: dh ${gpu.dh}`);
  }
});
