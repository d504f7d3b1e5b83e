// The three GEMM kernels (shaders/gemm_*.wgsl) against the float64 reference (src/ref/gemm.ts),
// over every layer shape of the reference VAEs, batch 500, and awkward sizes.
// Tolerance: |gpu - ref| <= 1e-4 + 1e-4 |ref| with inputs in [-1, 1] (f32 sums of up to 784 terms).
import { test } from 'node:test';
import { addBiasRelu, columnSums, matmulDytX, matmulDyW, matmulXWt, reluMask } from '../src/ref/gemm.ts';
import { assertClose, assertPaddingZero, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const TOL = { atol: 1e-4, rtol: 1e-4 };

// [M, N, K]: the six reference layers at batch 8, the widest layer at batch 500, and odd sizes
const SHAPES: [number, number, number][] = [
  [8, 400, 784], [8, 128, 400], [8, 20, 128], [8, 128, 10], [8, 400, 128], [8, 784, 400],
  [500, 400, 784], [500, 10, 128],
  [1, 1, 1], [7, 13, 5], [33, 17, 9], [3, 6, 2], [5, 3, 11], [66, 21, 10],
];

for (const [M, N, K] of SHAPES) {
  const seed = M * 1_000_003 + N * 1009 + K;
  test(`gemm_xwt Y = relu(X·Wᵀ + b), M=${M} N=${N} K=${K}`, async () => {
    const x = uniformArray(M * K, seed), w = uniformArray(N * K, seed + 1), b = uniformArray(N, seed + 2);
    for (const [relu, slope] of [[false, 0], [true, 0], [true, 0.2]] as const) {
      const { y } = await harness().call<{ y: Float32Array }>('gemmXWt', { M, N, K, x, w, b, relu, slope });
      assertPaddingZero(y, M, N, 'Y');
      assertClose(unpad(y, M, N), addBiasRelu(matmulXWt(x, w, M, N, K), b, M, N, relu, slope), TOL, `Y (relu ${relu}, slope ${slope})`);
    }
  });

  test(`gemm_dyw dX = (dY·W) ⊙ [A>0], M=${M} N=${N} K=${K}`, async () => {
    const dy = uniformArray(M * N, seed + 3), w = uniformArray(N * K, seed + 4), act = uniformArray(M * K, seed + 5, -1, 1);
    const ref = matmulDyW(dy, w, M, N, K);
    const plain = await harness().call<{ dx: Float32Array }>('gemmDyW', { M, N, K, dy, w });
    assertPaddingZero(plain.dx, M, K, 'dX');
    assertClose(unpad(plain.dx, M, K), ref, TOL, 'dX');
    const masked = await harness().call<{ dx: Float32Array }>('gemmDyW', { M, N, K, dy, w, act });
    assertClose(unpad(masked.dx, M, K), reluMask(ref, act), TOL, 'dX masked');
    const leaky = await harness().call<{ dx: Float32Array }>('gemmDyW', { M, N, K, dy, w, act, slope: 0.2 });
    assertClose(unpad(leaky.dx, M, K), reluMask(ref, act, 0.2), TOL, 'dX LeakyReLU-masked');
  });

  test(`gemm_dytx dW = dYᵀ·X and db = colsum(dY), M=${M} N=${N} K=${K}`, async () => {
    const dy = uniformArray(M * N, seed + 6), x = uniformArray(M * K, seed + 7);
    const { dw, db } = await harness().call<{ dw: Float32Array; db: Float32Array }>('gemmDytX', { M, N, K, dy, x });
    assertPaddingZero(dw, Math.ceil(N / 4) * 4, K, 'dW');
    const rows = unpad(dw, Math.ceil(N / 4) * 4, K);
    for (let i = N * K; i < rows.length; i++) if (rows[i] !== 0) throw new Error(`dW padding row value ${rows[i]} at ${i}`);
    assertClose(rows.subarray(0, N * K), matmulDytX(dy, x, M, N, K), TOL, 'dW');
    assertClose(db, columnSums(dy, M, N), TOL, 'db');
  });
}
