// The latent-space tools of the pictures: prior quantiles against textbook values, and PCA against
// data with known principal axes and against the eigen equation A v = lambda v.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalQuantile, tQuantile } from '../src/eval/quantiles.ts';
import { pca2, symmetricEigen } from '../src/eval/pca.ts';
import { createRng } from '../src/rng.ts';

test('quantiles: N(0,1) and t(nu) at textbook points', () => {
  assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-6);
  assert.ok(Math.abs(normalQuantile(0.5)) < 1e-10);
  assert.ok(Math.abs(normalQuantile(0.025) + 1.959964) < 1e-6);
  assert.ok(Math.abs(tQuantile(0.975, 5) - 2.570582) < 1e-6);
  assert.ok(Math.abs(tQuantile(0.95, 1) - 6.313752) < 1e-6);
  assert.ok(Math.abs(tQuantile(0.99, 21) - 2.517648) < 1e-6);
  assert.throws(() => normalQuantile(1), /probability in \(0, 1\), got 1/);
});

test('symmetricEigen solves A v = lambda v; pca2 finds the known axes of elongated data', () => {
  const n = 5, r = createRng(4), b = Float64Array.from({ length: n * n }, () => r.normal());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += b[i * n + k] * b[j * n + k];
  const { values, vectors } = symmetricEigen(a, n);
  for (let e = 0; e < n; e++) {
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[e * n + j];
      assert.ok(Math.abs(av - values[e] * vectors[e * n + i]) < 1e-9, `eigenpair ${e}`);
    }
    if (e > 0) assert.ok(values[e] <= values[e - 1]);
  }
  // 3-D points with standard deviations 5, 2, 0.1 along a rotated frame: the first two components
  // hold (25 + 4) / 29.01 of the variance, and the projection's variances are 25 and 4
  const N = 20000, c = Math.cos(0.7), s = Math.sin(0.7), pts = new Float64Array(3 * N);
  for (let i = 0; i < N; i++) {
    const u = 5 * r.normal(), v = 2 * r.normal(), w = 0.1 * r.normal();
    pts[3 * i] = c * u - s * v; pts[3 * i + 1] = s * u + c * v; pts[3 * i + 2] = w;
  }
  const p = pca2(pts, N, 3);
  assert.ok(Math.abs(p.explained - 29 / 29.01) < 2e-3, `explained ${p.explained}`);
  const varOf = (k: number) => { let m = 0, q = 0; for (let i = 0; i < N; i++) { m += p.projected[2 * i + k]; q += p.projected[2 * i + k] ** 2; } m /= N; return q / N - m * m; };
  assert.ok(Math.abs(varOf(0) - 25) < 1.5 && Math.abs(varOf(1) - 4) < 0.3, `${varOf(0)} ${varOf(1)}`);
});
