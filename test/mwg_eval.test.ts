// The evaluator's Metropolis-within-Gibbs imputer end to end on small random models, every latent
// family: observed pixels come back bit-identical, missing ones are averages of Bernoulli means
// in [0, 1], the same seed gives the same images whatever ran before, the acceptance rate is
// strictly inside (0, 1) when the proposal q differs from the target, and exactly 1 on a problem
// where they coincide: a decoder whose logits do not depend on z (last layer's weights zero), so
// p(xhat | z) cancels from rho whatever xhat is, and encoder output mu = 0, logvar = 0, so
// q(z | xhat) = p(z) and rho = p(z')q(z)/(p(z)q(z')) = 1. Its control keeps q = p(z) but lets the
// decoder depend on z, with every pixel missing: the whole completed image's likelihood must then
// enter rho (an observed-pixels-only ratio would be 1 here) and some proposals are rejected.
// Last, the sampler is exact: on a tiny model (6 pixels, latent dim 1) whose posterior is computed
// by quadrature, the long-run imputations match E[x_miss | x_obs] (mwg_exact in this file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { initParams, type Prior, type VaeShape } from '../src/ref/vae.ts';
import { createRng } from '../src/rng.ts';
import { uniformArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const shape: VaeShape = { encoder: [30, 12], latent: 3, decoder: [12, 30] };
const D = 30, n = 7, batch = 4; // two batches, the second one short
const MODELS: { name: string; prior: Prior; multivariate?: boolean }[] = [
  { name: 'Gaussian', prior: { kind: 'gaussian' } },
  { name: 'iid t(nu=3)', prior: { kind: 't', nu: 3 } },
  { name: 'multivariate t(nu=3)', prior: { kind: 't', nu: 3 }, multivariate: true },
];

type Result = { images: Float32Array; acceptance: number };

function model(prior: Prior, multivariate: boolean | undefined, encoderOutputZero: boolean, decoderFreeOfZ = false) {
  const r = createRng(5);
  const params = initParams(shape, () => r.normal(), 0.6);
  if (encoderOutputZero) params[shape.encoder.length - 1] = { ...params[shape.encoder.length - 1], w: new Float64Array(12 * 6) };
  const last = params.length - 1;
  // logits = the last layer's bias, some of it far in the tails
  if (decoderFreeOfZ) params[last] = { ...params[last], w: new Float64Array(params[last].w.length), b: Float64Array.from({ length: D }, (_, d) => 4 * r.normal() + (d % 7 === 0 ? 30 : 0)) };
  const config: VaeConfig = { shape, prior, multivariate, batch, optimizer: { kind: 'sgd', lr: 0.01 }, seed: 42 };
  return { config, params: params.map((p) => ({ w: Float32Array.from(p.w), b: Float32Array.from(p.b) })) };
}

const x = Float32Array.from(uniformArray(n * D, 3, 0, 1), (v, i) => (i % 4 === 0 ? Math.round(v) : v));
const halfMask = Uint8Array.from(uniformArray(n * D, 4, 0, 1), (v) => (v < 0.5 ? 1 : 0));

const run = (m: ReturnType<typeof model>, mask: Uint8Array, iterations: number, warmup = false) =>
  harness().call<Result>('mwgEvaluate', { ...m, x, mask, n, iterations, batch, warmup });

for (const { name, prior, multivariate } of MODELS) {
  test(`MwG ${name}: observed pixels kept bit for bit, missing in [0,1], reproducible, 0 < acceptance < 1`, async () => {
    const m = model(prior, multivariate, false);
    const a = await run(m, halfMask, 40);
    const b = await run(m, halfMask, 40, true);
    assert.deepEqual(Array.from(new Uint32Array(b.images.buffer)), Array.from(new Uint32Array(a.images.buffer)), 'same seed, other history');
    assert.equal(b.acceptance, a.acceptance);
    const bits = new Uint32Array(a.images.buffer), xBits = new Uint32Array(x.buffer);
    let moved = 0;
    for (let i = 0; i < x.length; i++) {
      if (halfMask[i] === 0) assert.equal(bits[i], xBits[i], `observed pixel ${i}`);
      else {
        assert.ok(a.images[i] >= 0 && a.images[i] <= 1, `missing pixel ${i} is ${a.images[i]}`);
        if (a.images[i] !== x[i]) moved++;
      }
    }
    assert.ok(moved > 0);
    assert.ok(a.acceptance > 0.02 && a.acceptance < 0.98, `acceptance ${a.acceptance}`);
    const other = await run(model(prior, multivariate, false), halfMask, 41);
    assert.ok(other.images.some((v, i) => v !== a.images[i]), 'another chain length gives other images');
  });

  test(`MwG ${name}: target == proposal (z-free decoder, q = prior) accepts every proposal; a z-dependent decoder does not`, async () => {
    const all = new Uint8Array(n * D).fill(1);
    for (const mask of [all, halfMask]) {
      const r = await run(model(prior, multivariate, true, true), mask, 12);
      assert.equal(r.acceptance, 1, `acceptance ${r.acceptance} with ${mask === all ? 'all' : 'half the'} pixels missing`);
    }
    // the control: q is still the prior, but the decoder depends on z and every pixel is missing
    const c = await run(model(prior, multivariate, true, false), all, 12);
    assert.ok(c.acceptance < 0.98, `acceptance ${c.acceptance}: the imputed pixels' likelihood must enter rho`);
  });
}

// mwg_exact: a model small enough for the exact answer. Encoder 6 -> (mu, logvar), latent dim 1,
// decoder 1 -> 6 logits (both one linear layer): logits_d = A_d z + C_d. Pixels 0-2 observed
// (1, 0, 1), 3-5 missing. Since the pixels are independent given z, p(z | x_obs) is proportional
// to p(z) prod_obs Bern(x_d | sigmoid(logits_d)) (x_miss sums out), and
// E[x_miss_d | x_obs] = int sigmoid(A_d z + C_d) p(z | x_obs) dz, by the trapezoid rule in u with
// z = sinh(u), u in [-9, 9] (|z| up to 4051: the t(3) tail beyond holds < 1e-9), float64.
// The encoder's mean leans hard on the MISSING pixels, so q(z | xhat) moves with the imputations;
// a sampler that is not exact for that shows it. (The earlier imputer, observed-pixel likelihood,
// mean refill and cached state weight, was off by 0.19 on pixel 3 in a float64 simulation of this
// model, about 100 standard errors; the exact algorithm in the same simulation was within 1 SE.)
// The run: R = 512 rows, each the same image, are 512 independent chains (the Philox counters
// hold the row), T = 200 iterations, each row's output the mean over the last 100. The bound:
// the R per-chain averages are iid, so their mean has standard error SE = sd / sqrt(R), with the
// sd measured across chains (which takes the within-chain autocorrelation into account); the
// test asks |mean - exact| <= 4 SE + 2e-3 per missing pixel (4 SE: two-sided p < 1e-4 per pixel;
// 2e-3 for f32 arithmetic, the 24-bit uniforms and the burn-in left after 100 iterations), and
// SE <= 0.01 so that the bound is tight enough to catch a bias of a few hundredths.
const A = [2, -1.5, 1, 2.5, -2, 1.5], C = [0.3, -0.2, 0.1, -0.5, 0.4, 0];
const W_MU = [0.5, -0.5, 0.3, 1.5, -1.2, 1.0], W_LOGVAR = [0.2, 0, -0.2, 0.6, 0.6, -0.6], B_LOGVAR = -0.5;
const TINY_X = [1, 0, 1, 0, 0, 0], TINY_MASK = [0, 0, 0, 1, 1, 1];
const softplus = (l: number) => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
const sigmoid = (l: number) => 1 / (1 + Math.exp(-l));

function exactMissingMeans(prior: Prior): number[] {
  const logPrior = (z: number) => (prior.kind === 'gaussian' ? -0.5 * z * z : -0.5 * (prior.nu + 1) * Math.log1p((z * z) / prior.nu));
  const N = 180_001, du = 18 / (N - 1);
  let total = 0;
  const sums = [0, 0, 0, 0, 0, 0];
  for (let k = 0; k < N; k++) {
    const u = -9 + k * du, z = Math.sinh(u);
    let lw = logPrior(z);
    for (let d = 0; d < 6; d++) if (TINY_MASK[d] === 0) lw += TINY_X[d] * (A[d] * z + C[d]) - softplus(A[d] * z + C[d]);
    const w = Math.exp(lw) * Math.cosh(u) * (k === 0 || k === N - 1 ? 0.5 : 1);
    total += w;
    for (let d = 0; d < 6; d++) sums[d] += w * sigmoid(A[d] * z + C[d]);
  }
  return sums.map((s) => s / total);
}

for (const { name, prior, multivariate } of MODELS) {
  test(`MwG ${name} is exact: on a 6-pixel, 1-latent model the long-run imputations match E[x_miss | x_obs] by quadrature`, async () => {
    const R = 512, T = 200;
    const tiny: VaeShape = { encoder: [6], latent: 1, decoder: [6] };
    const params = [
      { w: Float32Array.from([...W_MU, ...W_LOGVAR]), b: Float32Array.from([0, B_LOGVAR]) }, // (2, 6): rows mu, logvar
      { w: Float32Array.from(A), b: Float32Array.from(C) }, // (6, 1)
    ];
    const config: VaeConfig = { shape: tiny, prior, multivariate, batch: R, optimizer: { kind: 'sgd', lr: 0.01 }, seed: 7 };
    const xs = Float32Array.from({ length: R * 6 }, (_, i) => TINY_X[i % 6]);
    const mask = Uint8Array.from({ length: R * 6 }, (_, i) => TINY_MASK[i % 6]);
    const r = await harness().call<Result>('mwgEvaluate', { config, params, x: xs, mask, n: R, iterations: T, batch: R });
    const exact = exactMissingMeans(prior);
    assert.ok(r.acceptance > 0.02 && r.acceptance < 0.98, `acceptance ${r.acceptance}`);
    const report: string[] = [];
    for (let d = 3; d < 6; d++) {
      const v = Array.from({ length: R }, (_, m) => r.images[m * 6 + d]);
      const mean = v.reduce((s, x) => s + x, 0) / R;
      const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (R - 1));
      const se = sd / Math.sqrt(R);
      report.push(`pixel ${d}: chain ${mean.toFixed(4)}, exact ${exact[d].toFixed(4)}, SE ${se.toFixed(4)}`);
      assert.ok(se <= 0.01, `pixel ${d}: SE ${se} too large for a useful bound`);
      assert.ok(Math.abs(mean - exact[d]) <= 4 * se + 2e-3, `pixel ${d}: chain mean ${mean} vs exact ${exact[d]} (SE ${se})`);
    }
    console.log(`${name}: acceptance ${r.acceptance.toFixed(3)}; ${report.join('; ')}`);
  });
}
