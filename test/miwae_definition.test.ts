// The importance-weighted training objective (MIWAE) in float64, checked against things that do not
// share its code: the definition typed out (naive sums of exp), the ELBO itself at K = 1 (exactly),
// central finite differences of the bound with missing cells present (every weight, bias and
// log-variance, three priors), the unbiasedness of mean_k w_k for p(x_obs) against quadrature over a
// 1-D latent (the log weights carry every constant right), and the bound falling with K. No GPU.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { checkIwObjective } from '../src/parts/model.ts';
import { refParts } from '../src/ref/parts.ts';
import { iwWeights } from '../src/ref/iw_weights.ts';
import { miwaeForwardBackward, miwaeLoss, miwaeRows, replicateRows } from '../src/ref/miwae.ts';
import { encode, forwardBackward, rowLosses, type Dense } from '../src/ref/vae.ts';
import { logDensity } from '../src/ref/log_density.ts';
import { integrateLine } from '../src/ref/quadrature.ts';
import { tableLayout } from '../src/parts/likelihood/table_layout.ts';
import { tableNll } from '../src/ref/table_nll.ts';
import { createRng } from '../src/rng.ts';
import { tableConfig, checkTableJob } from '../src/tables/impute_table.ts';
import { imputeCommand, toImputeOptions } from '../src/cli/impute_options.ts';
import { normalArray, uniformArray } from './util/compare.ts';
import { checkFiniteDifferences, seededWeights, TABLE_COLUMNS, TABLE_D, tableConfigOf, tableRows as seededRows } from './util/table_fixture.ts';

const COLUMNS = TABLE_COLUMNS, D = TABLE_D;
const PRIORS: { name: string; prior: VaeConfig['prior']; kl?: 'mc' }[] = [
  { name: 'Gaussian prior', prior: { kind: 'gaussian' }, kl: 'mc' },
  { name: 'iid t prior', prior: { kind: 't', nu: 5 } },
  { name: 'multivariate t prior', prior: { kind: 't', nu: 5, multivariate: true } },
];

const configOf = (hidden: number, B: number, prior: VaeConfig['prior'], latent = 2, kl?: 'mc') => tableConfigOf(hidden, B, prior, { latent, kl });

/** [x | mask] rows, about a third of the cells missing (x = 0 there); row 0 always misses column 1. */
const tableRows = (B: number, seed: number) => seededRows(B, seed, { hole: { row: 0, column: 1 } });

function weightsOf(config: VaeConfig, seed: number, std: number): { params: Dense[]; extra: Float64Array } {
  const { params, extra } = seededWeights(config, seed, std);
  return { params, extra: Float64Array.from(extra!) };
}

test('iwWeights is the definition typed out: -log of the mean weight, softmax weights, mean re', () => {
  const K = 4, G = 3;
  const re = Float64Array.from(uniformArray(G * K, 1, 2, 9)), kl = Float64Array.from(uniformArray(G * K, 2, -1, 3));
  const r = iwWeights(re, kl, K);
  for (let b = 0; b < G; b++) {
    const w = Array.from({ length: K }, (_, k) => Math.exp(-(re[b * K + k] + kl[b * K + k])));
    const total = w.reduce((a, c) => a + c, 0);
    const close = (a: number, e: number, what: string) => assert.ok(Math.abs(a - e) <= 1e-12 * (1 + Math.abs(e)), `${what}: ${a} vs ${e}`);
    close(r.bound[b], -Math.log(total / K), `bound of group ${b}`);
    w.forEach((v, k) => close(r.weights[b * K + k], v / total, `weight ${b},${k}`));
    close(r.boundRe[b], re.slice(b * K, b * K + K).reduce((a, c) => a + c, 0) / K, `mean re of group ${b}`);
    close(r.boundRe[b] + r.boundKl[b], r.bound[b], `the two sums of group ${b} total the bound`);
  }
  // log weights far below exp's range still give a finite bound and weights (the max shift)
  const far = iwWeights([900, 901], [0, 0], 2);
  assert.ok(Math.abs(far.bound[0] - (900 - Math.log((1 + Math.exp(-1)) / 2))) < 1e-9, `shifted bound ${far.bound[0]}`);
  assert.ok(Math.abs(far.weights[0] - 1 / (1 + Math.exp(-1))) < 1e-12, `shifted weight ${far.weights[0]}`);
});

for (const { name, prior, kl } of PRIORS) {
  test(`MIWAE with K = 1 is the ELBO exactly (per row and every gradient), ${name}`, () => {
    const config = configOf(5, 4, prior, 2, kl);
    const { params, extra } = weightsOf(config, 11, 0.5);
    const x = tableRows(4, 12), eps = normalArray(4 * 2, 13);
    const iw = miwaeForwardBackward(config, 1, params, x, eps, extra);
    const elbo = forwardBackward(params, config.shape, x, eps, 4, config.prior, refParts(config, extra));
    iw.bound.forEach((v, b) => assert.equal(v, elbo.reRows[b] + elbo.klRows[b], `row ${b}`));
    iw.weights.forEach((w) => assert.equal(w, 1));
    elbo.grads.forEach((g, k) => {
      assert.deepEqual(iw.grads[k].w, g.w, `layer ${k} dW`);
      assert.deepEqual(iw.grads[k].b, g.b, `layer ${k} db`);
    });
    assert.deepEqual(iw.gradExtra, elbo.gradExtra);
  });

  test(`float64 MIWAE (K = 3), ${name}: gradients match central finite differences with missing cells`, () => {
    const K = 3, B = 3;
    const config = configOf(5, B, prior, 2, kl);
    const { params, extra } = weightsOf(config, 21, 0.5);
    const x = tableRows(B, 22), eps = normalArray(B * K * 2, 23);
    const fb = miwaeForwardBackward(config, K, params, x, eps, extra);
    assert.ok(fb.weights.some((w) => w > 0.05 && w < 0.95), 'the weights are not all 0 or 1 (a real mixture)');
    checkFiniteDifferences(params, extra, (p, e) => miwaeLoss(config, K, p, x, eps, e!), fb.grads, fb.gradExtra);
  });
}

test('a missing cell gets exactly zero likelihood gradient under the weights (and weights scale the rest)', () => {
  const layout = tableLayout(COLUMNS), M = 6, xm = tableRows(M, 31);
  const out = Float64Array.from(uniformArray(M * D, 32, -40, 40)), lv = Float64Array.from(uniformArray(D, 33, -1, 1));
  const w = Float64Array.from(uniformArray(M, 34, 0, 1));
  const plain = tableNll(out, xm, lv, layout, M), weighted = tableNll(out, xm, lv, layout, M, w);
  let missing = 0;
  for (let m = 0; m < M; m++) {
    for (let d = 0; d < D; d++) {
      if (xm[m * 2 * D + D + d] === 0) {
        missing++;
        assert.equal(weighted.grad[m * D + d], 0, `missing cell ${m},${d}`);
      } else assert.ok(Math.abs(weighted.grad[m * D + d] - w[m] * plain.grad[m * D + d]) <= 1e-15 * (1 + Math.abs(plain.grad[m * D + d])), `observed cell ${m},${d}: ${weighted.grad[m * D + d]}, not its weight ${w[m]} times ${plain.grad[m * D + d]}`);
    }
  }
  assert.ok(missing > 0, 'the rows have missing cells');
});

/** t(nu) variates from normals: z / sqrt(chi2_nu / nu), nu an integer. */
function tDraws(n: number, nu: number, seed: number): Float64Array {
  const r = createRng(seed);
  return Float64Array.from({ length: n }, () => {
    let c = 0;
    for (let i = 0; i < nu; i++) c += r.normal() ** 2;
    return r.normal() / Math.sqrt(c / nu);
  });
}

for (const { name, prior, kl } of PRIORS.slice(0, 2)) {
  test(`mean_k w_k is unbiased for p(x_obs) (quadrature over a 1-D latent) and the bound falls with K, ${name}`, () => {
    const config = configOf(6, 1, prior, 1, kl);
    const { params, extra } = weightsOf(config, 41, 0.6);
    const x = tableRows(1, 42); // row 0 misses a column
    const parts = refParts(config, extra);
    // log p(x_obs) = log of the integral of p(x_obs | z) p(z) dz; p(x_obs | z) = exp(-RE) at eps = (z - mu) / sigma
    const h = encode(params, config.shape, x, 1);
    const mu = h[0], sigma = Math.exp(h[1] / 2);
    const family = prior.kind === 'gaussian' ? { kind: 'normal' as const } : { kind: 't' as const, nu: prior.nu };
    const logLik = (z: number) => -rowLosses(params, config.shape, x, [(z - mu) / sigma], 1, config.prior, parts).reRows[0];
    const logPx = Math.log(integrateLine((z) => Math.exp(logLik(z) + logDensity(family, [z], [0], [1])), mu, 2 * sigma + 1, 4000));
    const N = 3000;
    const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;
    const se = (v: Float64Array) => { const m = mean(v); return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1) / v.length); };
    const bounds = [1, 5, 25].map((K, i) => {
      const n = Math.round(N / Math.sqrt(K)); // fewer rows for larger K: each costs K draws
      const noise = prior.kind === 'gaussian' ? normalArray(n * K, 50 + i) : tDraws(n * K, prior.nu, 50 + i);
      const r = miwaeRows({ ...config, batch: n }, K, params, replicateRows(x, 1, 2 * D, n), noise, extra);
      return { K, bound: r.bound };
    });
    // unbiased: E[exp(-bound)] = p(x_obs) at every K (checked as a ratio, within 4 standard errors)
    for (const { K, bound } of bounds) {
      const ratio = bound.map((b) => Math.exp(-b - logPx));
      assert.ok(Math.abs(mean(ratio) - 1) <= 4 * se(ratio), `K=${K}: mean of p_hat / p(x_obs) is ${mean(ratio).toFixed(4)} +- ${se(ratio).toFixed(4)}`);
    }
    // Jensen: E[bound_K] >= -log p(x_obs), falling with K (each step by more than 3 standard errors)
    for (let i = 0; i < bounds.length; i++) {
      const m = mean(bounds[i].bound), s = se(bounds[i].bound);
      assert.ok(m >= -logPx - 3 * s, `K=${bounds[i].K}: E[bound] ${m} below -log p(x_obs) ${-logPx}`);
      if (i > 0) {
        const prev = bounds[i - 1].bound, gap = mean(prev) - m;
        assert.ok(gap > 3 * Math.hypot(se(prev), s), `K=${bounds[i - 1].K} -> ${bounds[i].K}: the bound fell by ${gap}, not clearly`);
      }
    }
  });
}

test('the bound is refused where its log weights would be wrong, with one clear error', () => {
  const c = configOf(5, 4, { kind: 'gaussian' });
  assert.throws(() => checkIwObjective(c, 3), /one-sample KL/);
  assert.throws(() => checkIwObjective({ ...c, kl: 'mc', posterior: 'full' }, 3), /diagonal posterior/);
  assert.throws(() => checkIwObjective({ ...c, kl: 'mc', likelihood: { kind: 'bernoulli' } }, 3), /table models only/);
  assert.throws(() => checkIwObjective({ ...c, kl: 'mc' }, 0), /positive integer/);
  checkIwObjective({ ...c, prior: { kind: 't', nu: 3, multivariate: true } }, 3);
});

test('--iw: recorded in the model configuration (K > 1 only, so --iw 1 is the ELBO run as before) and checked', () => {
  const t = { source: 'test table', rows: 100, width: 3, columns: [{ type: 'real', width: 1 }, { type: 'real', width: 1 }, { type: 'binary', width: 1 }] } as unknown as Parameters<typeof tableConfig>[0];
  const base = { prior: 'gaussian' as const, epochs: 1, seed: 1 };
  assert.deepEqual(tableConfig(t, { ...base, iw: 1 }), tableConfig(t, base));
  const g = tableConfig(t, { ...base, iw: 5 });
  assert.equal(g.iw, 5);
  assert.equal(g.kl, 'mc');
  const tt = tableConfig(t, { ...base, prior: 't', iw: 5 });
  assert.equal(tt.iw, 5);
  assert.equal(tt.kl, undefined);
  assert.throws(() => checkTableJob(t, { ...base, iw: 0 }), /--iw must be an integer in 1\.\.1000, got 0/);
  assert.throws(() => checkTableJob(t, { ...base, iw: 2.5 }), /--iw must be an integer/);
  assert.throws(() => checkTableJob(t, { ...base, iw: 1000, batch: 100 }), /100000 rows per step/);
  const parse = (v: string) => toImputeOptions(imputeCommand().parse(['--data', 'a.csv', '--out', 'b.csv', '--iw', v], { from: 'user' }).opts());
  assert.equal(parse('5').iw, 5);
  assert.throws(() => parse('0'), /--iw must be an integer in 1\.\.1000, got "0"/);
  assert.equal(toImputeOptions(imputeCommand().parse(['--data', 'a.csv', '--out', 'b.csv'], { from: 'user' }).opts()).iw, 1);
});
