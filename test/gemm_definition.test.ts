// The three dense-layer GEMM kernels (shaders/gemm_xwt.wgsl, gemm_dyw.wgsl, gemm_dytx.wgsl) against
// the layer's definition written out here as plain loops over typed 2-D indices, independently of
// src/ref/gemm.ts: y[i][j] = act(sum_k x[i][k] w[j][k] + b[j]) with act ReLU or LeakyReLU (PyTorch:
// slope * v for v <= 0); dx[i][k] = sum_j dy[i][j] w[j][k] times act'(a[i][k]) (1 for a > 0, else 0
// or the slope, at exactly 0 too); dw[j][k] = sum_i dy[i][j] x[i][k]; db[j] = sum_i dy[i][j].
// Odd sizes; activations include exact zeros. Tolerance: 1e-5 + 1e-5 |value| (at most 9 f32 terms).
import { test } from 'node:test';
import { assertClose, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const TOL = { atol: 1e-5, rtol: 1e-5 };

for (const [M, N, K] of [[5, 6, 7], [3, 2, 9], [9, 5, 1]] as const) {
  test(`gemm kernels equal the dense layer's definition, M=${M} N=${N} K=${K}`, async () => {
    const seed = 100 * M + 10 * N + K;
    const x = uniformArray(M * K, seed), w = uniformArray(N * K, seed + 1), b = uniformArray(N, seed + 2), dy = uniformArray(M * N, seed + 3);
    const a = uniformArray(M * K, seed + 4).map((v, i) => (i % 3 === 0 ? 0 : v)); // exact zeros: act'(0) is the slope
    const X = (i: number, k: number) => x[i * K + k], Wt = (j: number, k: number) => w[j * K + k], G = (i: number, j: number) => dy[i * N + j];
    for (const slope of [0, 0.2]) {
      const { y } = await harness().call<{ y: Float32Array }>('gemmXWt', { M, N, K, x, w, b, relu: true, slope });
      const want = new Float64Array(M * N);
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let v = b[j];
        for (let k = 0; k < K; k++) v += X(i, k) * Wt(j, k);
        want[i * N + j] = v > 0 ? v : slope * v;
      }
      assertClose(unpad(y, M, N), want, TOL, `Y, activation slope ${slope}`);
      const { dx } = await harness().call<{ dx: Float32Array }>('gemmDyW', { M, N, K, dy, w, act: a, slope });
      const dxWant = new Float64Array(M * K);
      for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) {
        let v = 0;
        for (let j = 0; j < N; j++) v += G(i, j) * Wt(j, k);
        dxWant[i * K + k] = a[i * K + k] > 0 ? v : slope * v;
      }
      assertClose(unpad(dx, M, K), dxWant, TOL, `dX, activation slope ${slope}`);
    }
    const { y: linear } = await harness().call<{ y: Float32Array }>('gemmXWt', { M, N, K, x, w, b, relu: false, slope: 0 });
    const linWant = Float64Array.from({ length: M * N }, (_, e) => {
      const i = Math.floor(e / N), j = e % N;
      let v = b[j];
      for (let k = 0; k < K; k++) v += X(i, k) * Wt(j, k);
      return v;
    });
    assertClose(unpad(linear, M, N), linWant, TOL, 'Y, no activation');
    const { dw, db } = await harness().call<{ dw: Float32Array; db: Float32Array }>('gemmDytX', { M, N, K, dy, x });
    const dwWant = new Float64Array(N * K), dbWant = new Float64Array(N);
    for (let j = 0; j < N; j++) {
      for (let i = 0; i < M; i++) dbWant[j] += G(i, j);
      for (let k = 0; k < K; k++) for (let i = 0; i < M; i++) dwWant[j * K + k] += G(i, j) * X(i, k);
    }
    assertClose(unpad(dw, Math.ceil(N / 4) * 4, K).subarray(0, N * K), dwWant, TOL, 'dW');
    assertClose(db.subarray(0, N), dbWant, TOL, 'db');
  });
}
