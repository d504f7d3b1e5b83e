// The three GEMM families (shaders/gemm_*.wgsl and their variants, src/kernels/gemm.ts) against
// the float64 reference (src/ref/gemm.ts), every variant the adapter can run, over every layer
// shape of the reference VAEs (batch 8, and the widest layer at batch 500) and awkward sizes.
// A variant the adapter cannot run is reported with the reason (test diagnostics); on an adapter
// with fixed-size subgroups (SwiftShader 4, lavapipe 8) every variant must be applicable.
// Tolerance: |gpu - ref| <= 1e-4 + 1e-4 |ref| with inputs in [-1, 1] (f32 sums of up to 784 terms).
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { addBiasRelu, columnSums, matmulDytX, matmulDyW, matmulXWt, reluMask } from '../src/ref/gemm.ts';
import { assertClose, assertPaddingZero, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const TOL = { atol: 1e-4, rtol: 1e-4 };
const BIG = 1e7; // multiply-adds above which a shape runs one activation mode per variant

// [M, N, K]: the six reference layers at batch 8, the widest layer at batch 500, and odd sizes
const SHAPES: [number, number, number][] = [
  [8, 400, 784], [8, 128, 400], [8, 20, 128], [8, 128, 10], [8, 400, 128], [8, 784, 400],
  [500, 400, 784], [500, 10, 128],
  [1, 1, 1], [7, 13, 5], [33, 17, 9], [3, 6, 2], [5, 3, 11], [66, 21, 10], [65, 37, 129],
];

type Listing = { caps: { features: string[]; subgroupSize: number }; families: Record<string, { name: string; unfit: string | null; gpuOnly: boolean }[]> };

/** The variants of `family` to test here; the others are reported, and must not be missing on an adapter that has what they need. */
async function variants(t: TestContext, family: string, M: number, N: number, K: number): Promise<string[]> {
  const { caps, families } = await harness().call<Listing>('gemmVariants', { M, N, K });
  const all = families[family];
  assert.ok(all.some((v) => v.name === 'base' && v.unfit === null), `${family}: the fallback must run everywhere`);
  for (const v of all) if (v.unfit !== null) t.diagnostic(`${family} ${v.name}: not applicable on this adapter: ${v.unfit}`);
  if (caps.features.includes('subgroups') && caps.subgroupSize >= 4) {
    assert.deepEqual(all.filter((v) => v.unfit !== null).map((v) => `${v.name}: ${v.unfit}`), [], `${family}: this adapter has subgroups of ${caps.subgroupSize}, so every variant applies`);
  }
  // the GPU-only variants cost seconds a call on the software adapters: test/gemm_tiled.test.ts
  // tests them at its own shapes
  return all.filter((v) => v.unfit === null && !v.gpuOnly).map((v) => v.name);
}

// The texture-reading variants pack their inputs before each dispatch; GEMMs of one encoded list
// that read the same matrix share one texture and pack (texture_pack.ts), and encodeDispatches runs
// that pack again only once something has bound an overlapping range of the matrix's buffer. Here
// X is overwritten between the first and second read (a stale texture would give Y2 and Y3 from
// the old X), by a GEMM whose weight W2 shares W's buffer at another offset (its own texture).
test('gemm_xwt texture variants: a shared pack is redone after its matrix is written, and only then', async (t) => {
  const M = 33, K = 12, seed = 77;
  const x = uniformArray(M * K, seed), w = uniformArray(K * K, seed + 1), b = uniformArray(K, seed + 2);
  const z = uniformArray(M * K, seed + 3), w2 = uniformArray(K * K, seed + 4), b2 = uniformArray(K, seed + 5);
  const packing = (await variants(t, 'gemm_xwt', M, K, K)).filter((v) => v !== 'base');
  assert.ok(packing.length > 0 || !harness().adapter.features?.includes('subgroups'), 'an adapter with subgroups runs the texture variants');
  const y = (input: ArrayLike<number>, weight: Float32Array, bias: Float32Array) => addBiasRelu(matmulXWt(Float32Array.from(input), weight, M, K, K), bias, M, K, false, 0);
  for (const variant of packing) {
    const r = await harness().call<{ y: Float32Array[]; x: Float32Array; sharedPacks: boolean }>('gemmPackReuse', { M, K, x, w, b, z, w2, b2, variant });
    assert.ok(r.sharedPacks, `${variant}: the three reads should share X's and W's packs`);
    assertClose(r.x, y(z, w2, b2), TOL, `X overwritten with Z·W2ᵀ + b2 [${variant}]`);
    assertClose(r.y[0], y(x, w, b), TOL, `Y1 from the first X [${variant}]`);
    assertClose(r.y[1], y(r.x, w, b), TOL, `Y2 after X was written (pack redone) [${variant}]`);
    assertClose(r.y[2], y(r.x, w, b), TOL, `Y3 (pack reused) [${variant}]`);
  }
  // storage.r64 and subgroup.r64 expand one template into different WGSL (texture binding kinds),
  // which compute the same values: only distinct pipelines show that each runs its own
  const all = await variants(t, 'gemm_xwt', M, K, K);
  assert.equal(await harness().call<number>('gemmPipelines', { M, N: K, K, variants: all }), all.length, `one pipeline per variant (${all.join(', ')})`);
});

for (const [M, N, K] of SHAPES) {
  const seed = M * 1_000_003 + N * 1009 + K;
  test(`gemm_xwt Y = relu(X·Wᵀ + b), M=${M} N=${N} K=${K}`, async (t) => {
    const x = uniformArray(M * K, seed), w = uniformArray(N * K, seed + 1), b = uniformArray(N, seed + 2);
    // the float64 products once per shape, not once per variant (the largest is 157M terms in JS)
    const xwt = matmulXWt(x, w, M, N, K);
    // at the batch-500 shape only the mode training runs (ReLU): the activation code does not
    // depend on the shape and every mode runs at the other shapes; each call there is ~0.1-1 s
    const all = [[false, 0], [true, 0], [true, 0.2]] as const;
    const modes = (M * N * K > BIG ? all.slice(1, 2) : all).map(([relu, slope]) => ({ relu, slope, ref: addBiasRelu(xwt, b, M, N, relu, slope) }));
    // every variant and mode on one upload of the inputs (one crossing to a Chromium page)
    const runs = (await variants(t, 'gemm_xwt', M, N, K)).flatMap((variant) => modes.map((m) => ({ variant, ...m })));
    const { ys } = await harness().call<{ ys: Float32Array[] }>('gemmXWtRuns', { M, N, K, x, w, b, runs: runs.map(({ variant, relu, slope }) => ({ variant, relu, slope })) });
    assert.equal(ys.length, runs.length);
    runs.forEach(({ variant, relu, slope, ref }, i) => {
      assertPaddingZero(ys[i], M, N, `Y [${variant}]`);
      assertClose(unpad(ys[i], M, N), ref, TOL, `Y [${variant}] (relu ${relu}, slope ${slope})`);
    });
  });

  test(`gemm_dyw dX = (dY·W) ⊙ [A>0], M=${M} N=${N} K=${K}`, async (t) => {
    const dy = uniformArray(M * N, seed + 3), w = uniformArray(N * K, seed + 4), act = uniformArray(M * K, seed + 5, -1, 1);
    const ref = matmulDyW(dy, w, M, N, K);
    // as for gemm_xwt: only the mode training runs (ReLU mask) at batch 500
    const all = [
      { masked: true, slope: 0, what: 'masked', ref: reluMask(ref, act) },
      { masked: false, slope: 0, what: 'plain', ref },
      { masked: true, slope: 0.2, what: 'LeakyReLU-masked', ref: reluMask(ref, act, 0.2) },
    ];
    const runs = (await variants(t, 'gemm_dyw', M, N, K)).flatMap((variant) => (M * N * K > BIG ? all.slice(0, 1) : all).map((m) => ({ variant, ...m })));
    const { dxs } = await harness().call<{ dxs: Float32Array[] }>('gemmDyWRuns', { M, N, K, dy, w, act, runs: runs.map(({ variant, masked, slope }) => ({ variant, masked, slope })) });
    assert.equal(dxs.length, runs.length);
    runs.forEach(({ variant, what, ref: expected }, i) => {
      assertPaddingZero(dxs[i], M, K, `dX ${what} [${variant}]`);
      assertClose(unpad(dxs[i], M, K), expected, TOL, `dX ${what} [${variant}]`);
    });
  });

  test(`gemm_dytx dW = dYᵀ·X and db = colsum(dY), M=${M} N=${N} K=${K}`, async (t) => {
    const dy = uniformArray(M * N, seed + 6), x = uniformArray(M * K, seed + 7);
    const refDw = matmulDytX(dy, x, M, N, K), refDb = columnSums(dy, M, N);
    const names = await variants(t, 'gemm_dytx', M, N, K);
    const { out } = await harness().call<{ out: { dw: Float32Array; db: Float32Array }[] }>('gemmDytXRuns', { M, N, K, dy, x, variants: names });
    assert.equal(out.length, names.length);
    for (const [i, variant] of names.entries()) {
      const { dw, db } = out[i];
      assertPaddingZero(dw, Math.ceil(N / 4) * 4, K, `dW [${variant}]`);
      const rows = unpad(dw, Math.ceil(N / 4) * 4, K);
      for (let i = N * K; i < rows.length; i++) if (rows[i] !== 0) throw new Error(`dW [${variant}] padding row value ${rows[i]} at ${i}`);
      assertClose(rows.subarray(0, N * K), refDw, TOL, `dW [${variant}]`);
      assertClose(db, refDb, TOL, `db [${variant}]`);
    }
  });
}
