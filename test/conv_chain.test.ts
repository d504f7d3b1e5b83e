// A small CNN chain on the GPU, conv -> BN (training, LeakyReLU fused) -> conv -> sum of squares,
// every gradient against the float64 chain (test/util/conv_chain.ts), whose gradients are checked
// by finite differences in conv_gradients.test.ts: the launchers compose (shapes, layouts, fused
// activation, gradient flow) as a network needs them; and the zero-copy flatten / pixel views
// (src/kernels/conv_layout.ts) between conv images and the house dense GEMM.
// Tolerance: |gpu - ref| <= 1e-3 + 1e-3 |ref| on the loss and gradients (f32 through five layers
// of sums over up to 441 terms; the first conv's bias gradient, exactly 0 in float64 because BN
// removes it, is rounding only: checked with atol 1e-3 relative to the largest dw1 entry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conv2dForward, convOut, convTranspose2dForward, type Conv2dShape } from '../src/ref/conv2d.ts';
import { addBiasRelu, matmulXWt } from '../src/ref/gemm.ts';
import { nchwToRows, rowsToNchw, weightFromGpu, weightToGpu } from '../src/kernels/conv_layout.ts';
import { assertClose, assertPaddingZero, normalArray, uniformArray, unpad } from './util/compare.ts';
import { chainLossAndGrads, type ChainParams } from './util/conv_chain.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const TOL = { atol: 1e-3, rtol: 1e-3 };

test('GPU chain conv -> BN+LeakyReLU -> conv -> sum of squares: loss and every gradient match the reference', async () => {
  const s1: Conv2dShape = { N: 3, Cin: 2, H: 13, W: 13, Cout: 5, KH: 3, KW: 3, stride: 2, pad: 1 };
  const o1 = convOut(s1);
  const s2: Conv2dShape = { N: 3, Cin: 5, H: o1.Ho, W: o1.Wo, Cout: 3, KH: 4, KW: 4, stride: 2, pad: 1 };
  const f = (a: Float32Array) => Float64Array.from(a);
  const p: ChainParams = {
    x: f(normalArray(3 * 2 * 169, 1)), w1: f(uniformArray(5 * 2 * 9, 2, -0.5, 0.5)), b1: f(uniformArray(5, 3)),
    gamma: f(uniformArray(5, 4, 0.5, 1.5)), beta: f(uniformArray(5, 5)), w2: f(uniformArray(3 * 5 * 16, 6, -0.3, 0.3)), b2: f(uniformArray(3, 7)),
  };
  const eps = 1e-5, slope = 0.2;
  const ref = chainLossAndGrads(p, s1, s2, eps, slope);
  const gpu = await harness().call<Record<keyof ChainParams | 'loss', Float32Array | number>>('convChain', {
    s1, s2, eps, slope,
    p: {
      x: nchwToRows(p.x, 3, 2, 13, 13), w1: weightToGpu(p.w1, 5, 2, 3, 3), b1: Float32Array.from(p.b1), gamma: Float32Array.from(p.gamma),
      beta: Float32Array.from(p.beta), w2: weightToGpu(p.w2, 3, 5, 4, 4), b2: Float32Array.from(p.b2),
    },
  });
  const arr = (k: keyof ChainParams) => gpu[k] as Float32Array;
  assertClose([gpu.loss as number], [ref.loss], TOL, 'loss');
  assertClose(rowsToNchw(arr('x'), 3, 2, 13, 13), ref.x, TOL, 'dx');
  assertClose(weightFromGpu(arr('w1'), 5, 2, 3, 3), ref.w1, TOL, 'dw1');
  assertClose(arr('gamma'), ref.gamma, TOL, 'dgamma');
  assertClose(arr('beta'), ref.beta, TOL, 'dbeta');
  assertClose(weightFromGpu(arr('w2'), 3, 5, 4, 4), ref.w2, TOL, 'dw2');
  assertClose(arr('b2'), ref.b2, TOL, 'db2');
  const scale = Math.max(...ref.w1.map(Math.abs));
  for (const v of arr('b1')) assert.ok(Math.abs(v) <= 1e-3 * scale, `db1 ${v} should vanish under BN (dw1 scale ${scale})`);
});

test('bottleneck: conv -> flatten view -> dense -> dense -> pixel view -> transposed conv (padding channels included)', async () => {
  // 6 channels (padded to 8 on the GPU) on 4x4 pixels: the flatten has 16*8 columns in (h, w, c) order
  const conv: Conv2dShape = { N: 3, Cin: 5, H: 7, W: 7, Cout: 6, KH: 3, KW: 3, stride: 2, pad: 1 };
  const convT = { N: 3, Cin: 6, H: 4, W: 4, Cout: 2, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 0 };
  const N = 3, P = 16, C = 6, ld = 8, F = P * ld, D = 10;
  const x = uniformArray(N * 5 * 49, 31), w = uniformArray(6 * 5 * 9, 32), b = uniformArray(6, 33);
  const wt = uniformArray(6 * 2 * 9, 34), bt = uniformArray(2, 35);
  // dense weights over the padded flatten: columns (rows for wu) at padding channels are 0
  const real = (j: number) => j % ld < C;
  const wd = uniformArray(D * F, 36).map((v, i) => (real(i % F) ? v : 0)), bd = uniformArray(D, 37);
  const wu = uniformArray(F * D, 38).map((v, i) => (real(Math.floor(i / D)) ? v : 0)), bu = uniformArray(F, 39).map((v, j) => (real(j) ? v : 0));
  const gpu = await harness().call<{ h: Float32Array; out: Float32Array }>('flattenRoundTrip', {
    conv, convT, D, x: nchwToRows(x, N, 5, 7, 7), w: weightToGpu(w, 6, 5, 3, 3), b, wd, bd, wu, bu, wt: weightToGpu(wt, 6, 2, 3, 3), bt,
  });
  // reference: NHWC rows of the conv output, padded to 8 channels, one row per image
  const yRows = nchwToRows(conv2dForward(x, w, b, conv), N, C, 4, 4);
  const flat = new Float64Array(N * F);
  for (let r = 0; r < N * P; r++) for (let c = 0; c < C; c++) flat[r * ld + c] = yRows[r * C + c];
  const h = addBiasRelu(matmulXWt(flat, wd, N, D, F), bd, N, D, false);
  const g = addBiasRelu(matmulXWt(h, wu, N, F, D), bu, N, F, false);
  const pixels = new Float64Array(N * P * C);
  for (let r = 0; r < N * P; r++) for (let c = 0; c < C; c++) pixels[r * C + c] = g[r * ld + c];
  const out = convTranspose2dForward(rowsToNchw(pixels, N, C, 4, 4), wt, bt, convT);
  assertClose(gpu.h, h, TOL, 'dense output of the flattened conv');
  assertPaddingZero(gpu.out, N * 49, 2, 'transposed-conv output');
  assertClose(rowsToNchw(unpad(gpu.out, N * 49, 2), N, 2, 7, 7), out, TOL, 'transposed conv of the reshaped dense output');
});
