// The importance-weighted bound (MIWAE) on the test's adapter: shaders/iw_weights.wgsl against
// src/ref/iw_weights.ts, the weighted backward entry points (reparam_kl_gauss / reparam_kl_t
// backward_weighted, table_nll logvar_grad_weighted) against their references with row weights, a
// whole table model built with the bound against src/ref/miwae.ts (three priors), the bound at K = 1
// against the ELBO path bit for bit, and the trainer's K-fold replication of each data row.
// Tolerances: weights 1e-6 + 2e-4 |ref| (exp of f32 differences of log weights up to ~300),
// bound rows 1e-4 + 1e-5 |ref|, their KL half 2e-4 + 1e-5 |ref| (a difference), dOut 1e-7 + 2e-4 |ref|;
// dh 2e-5 + 2e-5 |ref| (as reparam_kl.test.ts); dLogvar 1e-6 + 1e-4 |ref| (as table_nll.test.ts);
// model: loss rows 1e-3 + 1e-4 |ref|, weights 2e-3 + 2e-3 |ref|, gradients 2e-3 max|ref| + 1e-3 |ref|
// (as table_vae.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { iwWeights, scaleRows } from '../src/ref/iw_weights.ts';
import { miwaeForwardBackward, replicateRows } from '../src/ref/miwae.ts';
import { reparamBackward, type Prior } from '../src/ref/reparam_kl.ts';
import { tableNll } from '../src/ref/table_nll.ts';
import { tableLayout } from '../src/parts/likelihood/table_layout.ts';
import type { EpochStats } from '../src/train/trainer.ts';
import { assertClose, normalArray, uniformArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';
import { assertGradientsClose, seededWeights, TABLE_COLUMNS, TABLE_D, tableConfigOf, tableRows as seededRows } from './util/table_fixture.ts';

const harness = useHarness();
type Grads = { w: Float32Array; b: Float32Array }[];
const COLUMNS = TABLE_COLUMNS, D = TABLE_D;

/** [x | mask] rows with about a third of the cells missing (x = 0 there). */
const tableRows = (B: number, seed: number) => Float32Array.from(seededRows(B, seed));

for (const [G, K, spread] of [[1, 1, 30], [70, 1, 30], [5, 3, 30], [70, 8, 300]] as const) {
  test(`iw_weights: ${G} groups of K=${K}, log weights spread over ${spread}`, async () => {
    const M = G * K, Dw = 5;
    const re = uniformArray(M, G + K, 0, spread), kl = uniformArray(M, G * K + 1, -2, 5);
    const dOut = uniformArray(M * Dw, 3, -1, 1);
    for (let i = 0; i < dOut.length; i += 3) dOut[i] = 0; // a missing cell's gradient, which must stay 0
    const gpu = await harness().call<{ weights: Float32Array; dOut: Float32Array; boundRe: Float32Array; boundKl: Float32Array }>('iwWeights', { G, K, D: Dw, re, kl, dOut });
    const ref = iwWeights(re, kl, K);
    assertClose(gpu.weights, ref.weights, { atol: 1e-6, rtol: 2e-4 }, 'weights');
    assertClose(gpu.boundRe, ref.boundRe, { atol: 1e-4, rtol: 1e-5 }, 'mean re');
    assertClose(gpu.boundKl, ref.boundKl, { atol: 2e-4, rtol: 1e-5 }, 'bound - mean re');
    assertClose(gpu.dOut, scaleRows(dOut, ref.weights, Dw), { atol: 1e-7, rtol: 2e-4 }, 'dOut');
    for (let i = 0; i < dOut.length; i += 3) assert.equal(gpu.dOut[i], 0, `a zero gradient (entry ${i}) stays exactly 0`);
    if (K === 1) {
      gpu.weights.forEach((w) => assert.equal(w, 1));
      gpu.boundRe.forEach((v, b) => assert.equal(v, re[b]));
      assert.deepEqual(gpu.dOut, dOut);
    }
  });
}

const PRIORS: { name: string; prior: Prior }[] = [
  { name: 'Gaussian prior (one-sample KL)', prior: { kind: 'gaussian', kl: 'mc' } },
  { name: 'iid t prior', prior: { kind: 't', nu: 5 } },
  { name: 'multivariate t prior', prior: { kind: 't', nu: 5, multivariate: true } },
];

for (const { name, prior } of PRIORS) {
  test(`reparam backward_weighted, ${name}: dh with each row's KL part weighted`, async () => {
    const M = 37, L = 3;
    const h = uniformArray(M * 2 * L, 5, -2, 2), eps = normalArray(M * L, 6), dz = uniformArray(M * L, 7, -0.1, 0.1);
    const rowWeights = uniformArray(M, 8, 0, 1);
    const gpu = await harness().call<{ dh: Float32Array }>('reparamWeighted', { M, L, prior, h, eps, dz, scale: 1 / 7, rowWeights });
    assertClose(gpu.dh, reparamBackward(h, eps, dz, M, L, prior, 1 / 7, rowWeights), { atol: 2e-5, rtol: 2e-5 }, 'dh');
  });
}

test('table_nll logvar_grad_weighted: each row\'s term weighted', async () => {
  const M = 70, layout = tableLayout(COLUMNS);
  const out = uniformArray(M * D, 9, -3, 3), xm = tableRows(M, 10), logvar = uniformArray(D, 11, -1, 1), rowWeights = uniformArray(M, 12, 0, 1);
  const gpu = await harness().call<{ gradLogvar: Float32Array }>('tableNllWeighted', { M, columns: COLUMNS, out, xm, logvar, scale: 1 / M, rowWeights });
  const ref = tableNll(out, xm, logvar, layout, M, rowWeights);
  assertClose(gpu.gradLogvar, ref.gradLogvar, { atol: 1e-6, rtol: 1e-4 }, 'dLogvar');
});

function modelOf(prior: Prior, B: number): VaeConfig {
  const { kl, ...p } = prior as Prior & { kl?: 'mc' };
  return tableConfigOf(16, B, p as Prior, { kl });
}

function weightsOf(config: VaeConfig, seed: number) {
  const { params, extra } = seededWeights(config, seed, 0.3);
  return { params, extra: extra! };
}

type IwOut = { re: Float32Array; kl: Float32Array; weights: Float32Array; boundRe: Float32Array; boundKl: Float32Array; grads: Grads; gradExtra: Float32Array };

for (const { name, prior } of PRIORS) {
  test(`GPU table model on the bound (K=3), ${name}: loss rows, weights and all gradients match the float64 MIWAE`, async () => {
    const K = 3, B = 5, config = modelOf(prior, B);
    const { params, extra } = weightsOf(config, 7);
    const x = tableRows(B, 8), eps = normalArray(B * K * 2, 9);
    const gpu = await harness().call<IwOut>('vaeIwGradients', { config, K, params, x: Float32Array.from(replicateRows(x, B, 2 * D, K)), eps, extra });
    const ref = miwaeForwardBackward(config, K, params, x, eps, extra);
    assertClose(gpu.weights, ref.weights, { atol: 2e-3, rtol: 2e-3 }, 'weights');
    assertClose(gpu.boundRe.map((v, b) => v + gpu.boundKl[b]), ref.bound, { atol: 1e-3, rtol: 1e-4 }, 'bound rows');
    assertGradientsClose(gpu, ref);
  });

  test(`GPU bound at K=1 is the ELBO path bit for bit, ${name}`, async () => {
    const B = 9, config = modelOf(prior, B);
    const { params, extra } = weightsOf(config, 17);
    const x = tableRows(B, 18), eps = normalArray(B * 2, 19);
    const iw = await harness().call<IwOut>('vaeIwGradients', { config, K: 1, params, x, eps, extra });
    const elbo = await harness().call<{ re: Float32Array; kl: Float32Array; grads: Grads; gradExtra: Float32Array }>('vaeGradients', { config, params, x, eps, extra });
    assert.deepEqual(iw.re, elbo.re);
    assert.deepEqual(iw.kl, elbo.kl);
    assert.deepEqual(iw.boundRe, elbo.re);
    iw.weights.forEach((w) => assert.equal(w, 1));
    elbo.grads.forEach((g, i) => {
      assert.deepEqual(iw.grads[i].w, g.w, `layer ${i} dW`);
      assert.deepEqual(iw.grads[i].b, g.b, `layer ${i} db`);
    });
    assert.deepEqual(iw.gradExtra, elbo.gradExtra);
  });
}

test('the trainer replicates each data row K times (one order buffer per stream, K entries a row) and reports the bound per data row', async () => {
  const count = 20, B = 6, K = 4, config: VaeConfig = { ...modelOf({ kind: 't', nu: 5 }, B), iw: K, optimizer: { kind: 'adam', lr: 1e-3 } };
  const rows = tableRows(count, 21);
  const out = await harness().call<{ stats: EpochStats[]; stepsPerEpoch: number; x: Float32Array; orders: { label: string; size: number }[] }>('iwTrain', { config, rows, count, epochs: 2 });
  assert.equal(out.stepsPerEpoch, Math.floor(count / B));
  // one order per stream, K entries per data row: no order of the un-replicated length is made
  assert.deepEqual(out.orders, [{ label: 'train.order', size: count * K * 4 }, { label: 'valid.order', size: count * K * 4 }]);
  for (const s of out.stats) for (const v of [s.trainLoss, s.validLoss, s.trainRe, s.validKl]) assert.ok(Number.isFinite(v), `epoch ${s.epoch}: ${JSON.stringify(s)}`);
  // the last step was the last validation batch: data rows (steps - 1) B .. steps B - 1, in order
  const W = 2 * D, first = (out.stepsPerEpoch - 1) * B;
  assert.equal(out.x.length, B * K * W);
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < K; k++) {
      assert.deepEqual(out.x.subarray((b * K + k) * W, (b * K + k + 1) * W), rows.subarray((first + b) * W, (first + b + 1) * W), `replica ${k} of batch row ${b}`);
    }
  }
});
