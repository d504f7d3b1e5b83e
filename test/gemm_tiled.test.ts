// The workgroup-tiled GEMM variants (shaders/gemm_*.tiled.wgsl, src/kernels/gemm_tiled.ts) against
// the float64 reference (src/ref/gemm.ts), every tile on this adapter, forced by name: the tuner
// never times them on a CPU adapter, but they must be right everywhere.
// Shapes: odd sizes that end inside a tile in every dimension (M, N, K not multiples of 64 or 128,
// K below one reduction step, N < 4, one tile exactly and one plus a sliver), in every epilogue
// (no activation, ReLU, LeakyReLU; no mask, ReLU mask, LeakyReLU mask); then the reference VAE's
// six layers at batch 8 and its encoder head at batch 500 in the epilogue the model uses there.
// test/gemm.test.ts leaves these variants out: with their barriers they take about a second a call
// at the wide layers on SwiftShader, and its 15 shapes x all modes would take minutes.
// Tolerance: |gpu - ref| <= 1e-4 + 1e-4 |ref| with inputs in [-1, 1] (f32 sums of up to 784 terms).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addBiasRelu, columnSums, matmulDytX, matmulDyW, matmulXWt, reluMask } from '../src/ref/gemm.ts';
import { assertClose, assertPaddingZero, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const TOL = { atol: 1e-4, rtol: 1e-4 };

// [M, N, K]
const ODD: [number, number, number][] = [
  [1, 1, 1], [5, 3, 11], [7, 13, 5], [33, 17, 9], [64, 64, 16], [65, 37, 129], [130, 70, 36], [129, 133, 17],
];
const REAL: [number, number, number][] = [
  [8, 400, 784], [8, 128, 400], [8, 20, 128], [8, 128, 10], [8, 400, 128], [8, 784, 400], [500, 20, 128],
];

type Listing = { families: Record<string, { name: string; unfit: string | null; gpuOnly: boolean }[]> };

/** The family's GPU-only variants: at least the two tiles, and they run on every adapter. */
async function tiles(family: string, M: number, N: number, K: number): Promise<string[]> {
  const { families } = await harness().call<Listing>('gemmVariants', { M, N, K });
  const mine = families[family].filter((v) => v.gpuOnly);
  assert.deepEqual(mine.map((v) => v.name), ['tiled.64', 'tiled.128'], `${family}: the tiled variants`);
  assert.deepEqual(mine.filter((v) => v.unfit !== null), [], `${family}: the tiled variants fit every adapter`);
  return mine.map((v) => v.name);
}

for (const [M, N, K] of [...ODD, ...REAL]) {
  const odd = ODD.some((s) => s[0] === M && s[1] === N && s[2] === K);
  const seed = M * 1_000_003 + N * 1009 + K + 17;

  test(`gemm_xwt tiled, M=${M} N=${N} K=${K}`, async () => {
    const x = uniformArray(M * K, seed), w = uniformArray(N * K, seed + 1), b = uniformArray(N, seed + 2);
    const xwt = matmulXWt(x, w, M, N, K);
    const modes = (odd ? ([[false, 0], [true, 0], [true, 0.2]] as const) : ([[true, 0]] as const)).map(([relu, slope]) => ({ relu, slope, ref: addBiasRelu(xwt, b, M, N, relu, slope) }));
    for (const variant of await tiles('gemm_xwt', M, N, K)) {
      for (const { relu, slope, ref } of modes) {
        const { y } = await harness().call<{ y: Float32Array }>('gemmXWt', { M, N, K, x, w, b, relu, slope, variant });
        assertPaddingZero(y, M, N, `Y [${variant}]`);
        assertClose(unpad(y, M, N), ref, TOL, `Y [${variant}] (relu ${relu}, slope ${slope})`);
      }
    }
  });

  test(`gemm_dyw tiled, M=${M} N=${N} K=${K}`, async () => {
    const dy = uniformArray(M * N, seed + 3), w = uniformArray(N * K, seed + 4), act = uniformArray(M * K, seed + 5, -1, 1);
    const ref = matmulDyW(dy, w, M, N, K);
    for (const variant of await tiles('gemm_dyw', M, N, K)) {
      const masked = await harness().call<{ dx: Float32Array }>('gemmDyW', { M, N, K, dy, w, act, variant });
      assertPaddingZero(masked.dx, M, K, `dX masked [${variant}]`);
      assertClose(unpad(masked.dx, M, K), reluMask(ref, act), TOL, `dX masked [${variant}]`);
      if (!odd) continue;
      const plain = await harness().call<{ dx: Float32Array }>('gemmDyW', { M, N, K, dy, w, variant });
      assertPaddingZero(plain.dx, M, K, `dX [${variant}]`);
      assertClose(unpad(plain.dx, M, K), ref, TOL, `dX [${variant}]`);
      const leaky = await harness().call<{ dx: Float32Array }>('gemmDyW', { M, N, K, dy, w, act, slope: 0.2, variant });
      assertClose(unpad(leaky.dx, M, K), reluMask(ref, act, 0.2), TOL, `dX LeakyReLU-masked [${variant}]`);
    }
  });

  test(`gemm_dytx tiled, M=${M} N=${N} K=${K}`, async () => {
    const dy = uniformArray(M * N, seed + 6), x = uniformArray(M * K, seed + 7);
    const refDw = matmulDytX(dy, x, M, N, K), refDb = columnSums(dy, M, N);
    const N4 = Math.ceil(N / 4) * 4;
    for (const variant of await tiles('gemm_dytx', M, N, K)) {
      const { dw, db } = await harness().call<{ dw: Float32Array; db: Float32Array }>('gemmDytX', { M, N, K, dy, x, variant });
      assertPaddingZero(dw, N4, K, `dW [${variant}]`);
      const rows = unpad(dw, N4, K);
      for (let i = N * K; i < rows.length; i++) if (rows[i] !== 0) throw new Error(`dW [${variant}] padding row value ${rows[i]} at ${i}`);
      assertClose(rows.subarray(0, N * K), refDw, TOL, `dW [${variant}]`);
      assertClose(db, refDb, TOL, `db [${variant}]`);
    }
  });
}
