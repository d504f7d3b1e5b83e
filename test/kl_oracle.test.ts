// The independent oracle of every posterior/prior pair (Gaussian, iid t, multivariate t):
//  1. the oracle's log densities (src/ref/log_density.ts) integrate to 1, and the iid t density is
//     the derivative of the t CDF (src/ref/stats.ts, a third code path) — so the oracle itself
//     cannot carry a wrong exponent or constant;
//  2. the quadrature (src/ref/quadrature.ts) reproduces the Gaussian closed-form KL;
//  3. each KL row of shaders/reparam_kl_*.wgsl equals log q(z|h) - log p(z) from the oracle at the
//     kernel's own z (t families and the Gaussian's one-sample form; L = 2 and 10, where the iid
//     and multivariate families differ);
//  4. the kernel's dh equals central finite differences of the oracle, including a row whose
//     sigma underflows in f32 (the backward must stay finite there);
//  5. the Monte-Carlo mean of the kernel's estimator over GPU-drawn noise matches the true KL by
//     quadrature within 4 standard errors of the mean (+1e-3 for f32 and quadrature error),
//     at the two points the review measured (L = 10: nu=5, mu=0, sigma=0.3; nu=21, mu=2, sigma=0.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Prior } from '../src/ref/reparam_kl.ts';
import { familyOfPrior, logDensity, logRatioOracle, type Family } from '../src/ref/log_density.ts';
import { integrateHalfLine, integrateLine, klQuadrature1D, klQuadratureIsotropic, logSphereArea } from '../src/ref/quadrature.ts';
import { studentTCdf } from '../src/ref/stats.ts';
import { assertClose, uniformArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const ones = (L: number, v = 1) => new Array(L).fill(v);

test('oracle densities integrate to 1: 1-D normal and t, radial normal and multivariate t in L = 2, 3, 10', () => {
  for (const f of [{ kind: 'normal' }, { kind: 't', nu: 1.5 }, { kind: 't', nu: 5 }, { kind: 't', nu: 21 }] as Family[]) {
    const mass = integrateLine((x) => Math.exp(logDensity(f, [x], [0.7], [1.3])), 0.7, 1.3, 20000);
    assert.ok(Math.abs(mass - 1) < 2e-5, `${JSON.stringify(f)}: mass ${mass}`);
  }
  for (const f of [{ kind: 'normal' }, { kind: 'multivariate-t', nu: 1.5 }, { kind: 'multivariate-t', nu: 5 }, { kind: 'multivariate-t', nu: 21 }] as Family[]) {
    for (const L of [2, 3, 10]) {
      const at = (r: number) => logDensity(f, [r, ...ones(L - 1, 0)], ones(L, 0), ones(L));
      const mass = integrateHalfLine((r) => Math.exp(logSphereArea(L) + (L - 1) * Math.log(r) + at(r)), 1, 20000);
      assert.ok(Math.abs(mass - 1) < 2e-4, `${JSON.stringify(f)} L=${L}: mass ${mass}`);
    }
  }
});

test('oracle iid t density is the derivative of the Student-t CDF (an independent code path)', () => {
  for (const nu of [0.7, 2.5, 21]) {
    for (const x of [-7, -1.2, 0, 0.3, 2, 40]) {
      const d = 1e-4;
      const fd = (studentTCdf(x + d, nu) - studentTCdf(x - d, nu)) / (2 * d);
      const pdf = Math.exp(logDensity({ kind: 't', nu }, [x], [0], [1]));
      assert.ok(Math.abs(fd - pdf) <= 1e-7 + 1e-6 * pdf, `nu=${nu} x=${x}: fd ${fd} vs pdf ${pdf}`);
    }
  }
});

test('quadrature reproduces the Gaussian closed-form KL (1-D and L = 3 in polar coordinates)', () => {
  const closed = (m: number, s: number) => 0.5 * (s * s + m * m - 1 - 2 * Math.log(s));
  assert.ok(Math.abs(klQuadrature1D({ kind: 'normal' }, 1, 0.5) - closed(1, 0.5)) < 1e-6);
  assert.ok(Math.abs(klQuadrature1D({ kind: 'normal' }, -2, 3) - closed(-2, 3)) < 1e-5);
  const iso = klQuadratureIsotropic({ kind: 'normal' }, 3, 1, 0.5);
  assert.ok(Math.abs(iso - 3 * closed(1, 0.5)) < 1e-4, `L=3: ${iso} vs ${3 * closed(1, 0.5)}`);
});

const T_PRIORS: Prior[] = [
  { kind: 'gaussian', kl: 'mc' }, { kind: 't', nu: 21 }, { kind: 't', nu: 2.5 }, { kind: 't', nu: 5, multivariate: true }, { kind: 't', nu: 0.7, multivariate: true },
];
const name = (p: Prior) => (p.kind === 'gaussian' ? `gaussian${p.kl === 'mc' ? ' (one-sample KL)' : ''}` : `${p.multivariate ? 'multivariate' : 'iid'} t(nu=${p.nu})`);

type Gpu = { z: Float32Array; kl: Float32Array; dh: Float32Array };
async function kernel(prior: Prior, M: number, L: number, h: Float32Array, eps: Float32Array, dz: Float32Array, scale: number): Promise<Gpu> {
  return harness().call<Gpu>('reparam', { M, L, prior, h, eps, dz, scale });
}
async function drawNoise(prior: Prior, M: number, L: number, seed: number): Promise<Float32Array> {
  const f = familyOfPrior(prior);
  return (await harness().call<{ eps: Float32Array }>('sample', { noise: f, seed, M, L, step: 0 })).eps;
}
const ld = (n: number) => Math.ceil(n / 4) * 4;
const rowOf = (a: ArrayLike<number>, m: number, n: number, stride = n) => Array.from({ length: n }, (_, j) => a[m * stride + j]);

/** h (M, 2L): mu in [-2, 2], logvar in [-3, 1] */
function randomH(M: number, L: number, seed: number): Float32Array {
  const mu = uniformArray(M * L, seed, -2, 2), lv = uniformArray(M * L, seed + 1, -3, 1);
  const h = new Float32Array(M * 2 * L);
  for (let m = 0; m < M; m++) for (let j = 0; j < L; j++) { h[m * 2 * L + j] = mu[m * L + j]; h[m * 2 * L + L + j] = lv[m * L + j]; }
  return h;
}

for (const prior of T_PRIORS) {
  for (const L of [2, 10]) {
    test(`${name(prior)}, L=${L}: every KL row equals the oracle's log q(z|h) - log p(z) at the kernel's z`, async () => {
      const M = 64;
      const h = randomH(M, L, 11 * L), eps = await drawNoise(prior, M, L, 5);
      const gpu = await kernel(prior, M, L, h, eps, new Float32Array(M * L), 1);
      const f = familyOfPrior(prior);
      const oracle = Float64Array.from({ length: M }, (_, m) => logRatioOracle(f, rowOf(gpu.z, m, L, ld(L)), rowOf(h, m, 2 * L)));
      assertClose(gpu.kl, oracle, { atol: 1e-3, rtol: 1e-4 }, 'KL rows vs oracle');
    });

    test(`${name(prior)}, L=${L}: dh equals finite differences of the oracle (one row with sigma underflowing)`, async () => {
      const M = 6, scale = 0.5;
      const h = randomH(M, L, 7 * L), eps = await drawNoise(prior, M, L, 9);
      h[(M - 1) * 2 * L + L] = -200; // sigma = exp(-100): 0 in f32
      const dz = uniformArray(M * L, 3, -0.3, 0.3);
      const gpu = await kernel(prior, M, L, h, eps, dz, scale);
      const f = familyOfPrior(prior);
      // F(h) = sum_m [scale * (log q - log p)(z_m(h)) + dz_m . z_m(h)], z = mu + exp(logvar/2) eps
      const rowF = (m: number, hm: number[]) => {
        const z = Array.from({ length: L }, (_, j) => hm[j] + Math.exp(0.5 * hm[L + j]) * eps[m * L + j]);
        return scale * logRatioOracle(f, z, hm) + z.reduce((a, zj, j) => a + dz[m * L + j] * zj, 0);
      };
      const fd = new Float64Array(M * 2 * L);
      for (let m = 0; m < M; m++) {
        for (let i = 0; i < 2 * L; i++) {
          const hm = rowOf(h, m, 2 * L), d = 1e-5 * Math.max(1, Math.abs(hm[i]));
          const hp = [...hm], hn = [...hm];
          hp[i] += d; hn[i] -= d;
          fd[m * 2 * L + i] = (rowF(m, hp) - rowF(m, hn)) / (2 * d);
        }
      }
      const dh = Float64Array.from({ length: M * 2 * L }, (_, k) => gpu.dh[Math.floor(k / (2 * L)) * ld(2 * L) + (k % (2 * L))]);
      for (const v of dh) assert.ok(Number.isFinite(v), `dh has a non-finite entry: ${dh}`);
      assertClose(dh, fd, { atol: 2e-4, rtol: 1e-3 }, 'dh vs finite differences of the oracle');
    });
  }
}

/** The review's points and two of our own: the kernel's MC mean over GPU noise vs the true KL. */
const MC_CASES: { prior: Prior; L: number; m: number; s: number }[] = [
  { prior: { kind: 't', nu: 5, multivariate: true }, L: 10, m: 0, s: 0.3 },
  { prior: { kind: 't', nu: 21, multivariate: true }, L: 10, m: 2, s: 0.1 },
  { prior: { kind: 't', nu: 2.5, multivariate: true }, L: 2, m: 0.5, s: 0.6 },
  { prior: { kind: 't', nu: 21 }, L: 10, m: 2, s: 0.1 },
  { prior: { kind: 't', nu: 2.5 }, L: 2, m: 0.5, s: 0.6 },
  { prior: { kind: 'gaussian' }, L: 3, m: 1, s: 0.5 },
];

function trueKl(prior: Prior, L: number, m: number, s: number): number {
  const f = familyOfPrior(prior);
  return f.kind === 't' ? L * klQuadrature1D(f, m, s) : klQuadratureIsotropic(f, L, m, s);
}

for (const c of MC_CASES) {
  test(`${name(c.prior)}, L=${c.L}, mu=${c.m}, sigma=${c.s}: MC mean of the kernel's KL matches quadrature`, async () => {
    const M = 20000;
    const h = new Float32Array(M * 2 * c.L);
    for (let r = 0; r < M; r++) for (let j = 0; j < c.L; j++) { h[r * 2 * c.L + j] = c.m; h[r * 2 * c.L + c.L + j] = 2 * Math.log(c.s); }
    const eps = await drawNoise(c.prior, M, c.L, 1234);
    const gpu = await kernel(c.prior, M, c.L, h, eps, new Float32Array(M * c.L), 1);
    let s1 = 0, s2 = 0;
    for (const v of gpu.kl) { s1 += v; s2 += v * v; }
    const mean = s1 / M, se = Math.sqrt(Math.max(s2 / M - mean * mean, 0) / M);
    const truth = trueKl(c.prior, c.L, c.m, c.s);
    console.log(`${name(c.prior)} L=${c.L}: MC ${mean.toFixed(4)} ± ${se.toFixed(4)} (SE), quadrature ${truth.toFixed(4)}`);
    assert.ok(Math.abs(mean - truth) <= 4 * se + 1e-3, `MC mean ${mean} (SE ${se}) vs true KL ${truth}`);
  });
}
