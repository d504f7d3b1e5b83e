// shaders/gaussian_nll.wgsl (Gaussian decoder: fixed or learned per-dimension variance) against
// src/ref/gaussian_nll.ts; the reference's gradients against central finite differences; and the
// row loss against -sum_d log N(x_d; mean_d, s_d^2) from the oracle densities (src/ref/log_density.ts).
// GPU tolerance: 1e-4 + 1e-5 |ref| on row losses (sums over D), 1e-6 + 1e-5 |ref| on gradients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianNll } from '../src/ref/gaussian_nll.ts';
import { logDensity } from '../src/ref/log_density.ts';
import { assertClose, assertPaddingZero, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
type Gpu = { rowLoss: Float32Array; grad: Float32Array; gradLogvar?: Float32Array };

for (const [M, D] of [[5, 2], [3, 7], [64, 784]] as const) {
  for (const mode of ['fixed', 'learned'] as const) {
    test(`gaussian_nll ${mode} variance, M=${M} D=${D}`, async () => {
      const mean = uniformArray(M * D, M + D, -2, 2), x = uniformArray(M * D, M * D, -2, 2), scale = 1 / M;
      const logvar = mode === 'fixed' ? new Float32Array(D).fill(Math.log(0.3)) : uniformArray(D, D, -2, 1);
      const gpu = await harness().call<Gpu>('gaussianNll', { M, D, mean, x, scale, ...(mode === 'fixed' ? { variance: 0.3 } : { logvar }) });
      const ref = gaussianNll(mean, x, logvar, M, D);
      assertClose(gpu.rowLoss, ref.rowLoss, { atol: 1e-4, rtol: 1e-5 }, 'row loss');
      assertPaddingZero(gpu.grad, M, D, 'dMean');
      assertClose(unpad(gpu.grad, M, D), ref.grad, { atol: 1e-6, rtol: 1e-5 }, 'dMean');
      if (mode === 'learned') {
        assertPaddingZero(gpu.gradLogvar!, 1, D, 'dLogvar');
        assertClose(unpad(gpu.gradLogvar!, 1, D), ref.gradLogvar, { atol: 1e-6, rtol: 1e-4 }, 'dLogvar');
      }
    });
  }
}

test('reference: gradients match finite differences; row loss equals the oracle\'s -log density', () => {
  const B = 3, D = 4;
  const mean = Float64Array.from(uniformArray(B * D, 1, -1, 1)), x = Float64Array.from(uniformArray(B * D, 2, -1, 1)), lv = Float64Array.from(uniformArray(D, 3, -1, 1));
  const f = gaussianNll(mean, x, lv, B, D);
  const total = (m: Float64Array, l: Float64Array) => gaussianNll(m, x, l, B, D).rowLoss.reduce((a, b) => a + b, 0) / B;
  const d = 1e-6;
  for (let k = 0; k < B * D; k++) {
    const p = Float64Array.from(mean), n = Float64Array.from(mean);
    p[k] += d; n[k] -= d;
    const fd = (total(p, lv) - total(n, lv)) / (2 * d);
    assert.ok(Math.abs(fd - f.grad[k]) < 1e-8, `dMean[${k}]: ${fd} vs ${f.grad[k]}`);
  }
  for (let k = 0; k < D; k++) {
    const p = Float64Array.from(lv), n = Float64Array.from(lv);
    p[k] += d; n[k] -= d;
    const fd = (total(mean, p) - total(mean, n)) / (2 * d);
    assert.ok(Math.abs(fd - f.gradLogvar[k]) < 1e-8, `dLogvar[${k}]: ${fd} vs ${f.gradLogvar[k]}`);
  }
  for (let i = 0; i < B; i++) {
    const xi = x.subarray(i * D, (i + 1) * D), mi = mean.subarray(i * D, (i + 1) * D);
    const oracle = -logDensity({ kind: 'normal' }, xi, mi, Array.from(lv, (v) => Math.exp(v / 2)));
    assert.ok(Math.abs(oracle - f.rowLoss[i]) < 1e-12, `row ${i}: ${f.rowLoss[i]} vs oracle ${oracle}`);
  }
});

test('a non-positive variance is refused before any dispatch', async () => {
  await assert.rejects(harness().call('gaussianNll', { M: 2, D: 2, mean: new Float32Array(4), x: new Float32Array(4), scale: 1, variance: 0 }), /variance must be finite and > 0, got 0/);
});
