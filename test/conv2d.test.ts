// The convolution kernels (shaders/conv2d_fwd.wgsl, conv2d_bwd_data.wgsl, conv2d_bwd_weight.wgsl)
// through their launchers (src/kernels/conv2d.ts) against the float64 reference (src/ref/conv2d.ts):
// forward (+ fused LeakyReLU), backward to the input (+ LeakyReLU' mask), backward to weights and
// bias, for conv and transposed-conv layers: odd sizes (batch 3, 5 channels, 13x13) and the CNN
// VAE's own layers (28 -> 14 -> 7 -> 4 and back to exactly 28). Padding channels must stay 0.
// Tolerance: |gpu - ref| <= 1e-4 + 1e-4 |ref|, inputs in [-1, 1] (f32 sums of up to
// N*Ho*Wo = 588 pixel terms or KH*KW*Cin = 576 products).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  conv2dBackwardData, conv2dBackwardWeight, conv2dForward, convOut, convTOut, convTranspose2dBackwardData,
  convTranspose2dBackwardWeight, convTranspose2dForward, type Conv2dShape, type ConvT2dShape,
} from '../src/ref/conv2d.ts';
import { leakyRelu, leakyReluBackward } from '../src/ref/leaky_relu.ts';
import { nchwToRows, rowsToNchw, weightFromGpu, weightToGpu } from '../src/kernels/conv_layout.ts';
import { assertClose, assertPaddingZero, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const TOL = { atol: 1e-4, rtol: 1e-4 };
const c4 = (n: number) => Math.ceil(n / 4) * 4;

interface Variant { leaky?: number; mask?: number; splits?: number }

interface LayerOut { y: Float32Array; dx: Float32Array; dw: Float32Array; db: Float32Array; splits: number; dispatches: number }

/** Runs one layer on the GPU and checks all three passes against the reference. */
async function checkLayer(kind: 'conv' | 'convT', s: Conv2dShape | ConvT2dShape, v: Variant, seed: number): Promise<LayerOut> {
  const { Ho, Wo } = kind === 'conv' ? convOut(s) : convTOut(s as ConvT2dShape);
  const { N, Cin, H, W, Cout, KH, KW } = s;
  // the weight's rows are the small image's channels: Cout for a conv, Cin for a transposed conv
  const [R, Cw] = kind === 'conv' ? [Cout, Cin] : [Cin, Cout];
  const x = uniformArray(N * Cin * H * W, seed), w = uniformArray(R * Cw * KH * KW, seed + 1), b = uniformArray(Cout, seed + 2);
  const dy = uniformArray(N * Cout * Ho * Wo, seed + 3), act = uniformArray(N * Cin * H * W, seed + 4);
  const out = await harness().call<LayerOut>('convLayer', {
    kind, shape: s, x: nchwToRows(x, N, Cin, H, W), w: weightToGpu(w, R, Cw, KH, KW), b, dy: nchwToRows(dy, N, Cout, Ho, Wo),
    leaky: v.leaky, mask: v.mask === undefined ? undefined : { act: nchwToRows(act, N, Cin, H, W), slope: v.mask }, splits: v.splits,
  });
  let y: Float64Array, dx: Float64Array, g: { dw: Float64Array; db: Float64Array };
  if (kind === 'conv') {
    y = conv2dForward(x, w, b, s); dx = conv2dBackwardData(dy, w, s); g = conv2dBackwardWeight(dy, x, s);
  } else {
    const t = s as ConvT2dShape;
    y = convTranspose2dForward(x, w, b, t); dx = convTranspose2dBackwardData(dy, w, t); g = convTranspose2dBackwardWeight(dy, x, t);
  }
  if (v.leaky !== undefined) y = leakyRelu(y, v.leaky);
  if (v.mask !== undefined) dx = leakyReluBackward(dx, act, v.mask);
  const outRows = N * Ho * Wo, inRows = N * H * W, wCols = KH * KW * c4(Cw);
  assertPaddingZero(out.y, outRows, Cout, 'y');
  assertPaddingZero(out.dx, inRows, Cin, 'dx');
  assertPaddingZero(out.db, 1, Cout, 'db');
  assertClose(rowsToNchw(unpad(out.y, outRows, Cout), N, Cout, Ho, Wo), y, TOL, 'y');
  assertClose(rowsToNchw(unpad(out.dx, inRows, Cin), N, Cin, H, W), dx, TOL, 'dx');
  // dw: padding rows and each tap's padding channels are 0, the rest matches
  for (let i = R * wCols; i < out.dw.length; i++) assert.equal(out.dw[i], 0, `dw padding row entry ${i}`);
  for (let i = 0; i < R * wCols; i++) if (i % c4(Cw) >= Cw) assert.equal(out.dw[i], 0, `dw channel padding at ${i}`);
  assertClose(weightFromGpu(out.dw, R, Cw, KH, KW), g.dw, TOL, 'dw');
  assertClose(out.db.subarray(0, Cout), g.db, TOL, 'db');
  return out;
}

const CONV: [string, Conv2dShape, Variant][] = [
  ['odd 13x13 3x3 s2 p1', { N: 3, Cin: 5, H: 13, W: 13, Cout: 6, KH: 3, KW: 3, stride: 2, pad: 1 }, { leaky: 0.2, mask: 0.1 }],
  ['odd 13x13 3x3 s1 p1', { N: 3, Cin: 5, H: 13, W: 13, Cout: 5, KH: 3, KW: 3, stride: 1, pad: 1 }, {}],
  ['odd 13x11 4x4 s2 p0', { N: 3, Cin: 3, H: 13, W: 11, Cout: 7, KH: 4, KW: 4, stride: 2, pad: 0 }, { splits: 1 }],
  ['odd 2x3 kernel s1 p0', { N: 3, Cin: 5, H: 6, W: 7, Cout: 2, KH: 2, KW: 3, stride: 1, pad: 0 }, { leaky: 0.01 }],
  ['kernel = whole image', { N: 1, Cin: 1, H: 5, W: 5, Cout: 1, KH: 5, KW: 5, stride: 1, pad: 0 }, {}],
  ['stride 3 pad 1', { N: 2, Cin: 4, H: 10, W: 9, Cout: 3, KH: 3, KW: 3, stride: 3, pad: 1 }, { splits: 5 }],
  ['VAE enc1 28->14 1->32 4x4', { N: 3, Cin: 1, H: 28, W: 28, Cout: 32, KH: 4, KW: 4, stride: 2, pad: 1 }, { leaky: 0.2 }],
  ['VAE enc1 28->14 1->32 3x3', { N: 3, Cin: 1, H: 28, W: 28, Cout: 32, KH: 3, KW: 3, stride: 2, pad: 1 }, {}],
  ['VAE enc2 14->7 32->64 4x4', { N: 3, Cin: 32, H: 14, W: 14, Cout: 64, KH: 4, KW: 4, stride: 2, pad: 1 }, { mask: 0.2 }],
  ['VAE enc3 7->4 64->128 3x3', { N: 3, Cin: 64, H: 7, W: 7, Cout: 128, KH: 3, KW: 3, stride: 2, pad: 1 }, { leaky: 0.2, mask: 0.2 }],
];

CONV.forEach(([name, s, v], i) => {
  test(`conv2d ${name}: forward, backward to input, to weights and bias ${JSON.stringify(v)}`, async () => {
    const out = await checkLayer('conv', s, v, 100 * i + 1);
    if (v.splits !== undefined) assert.equal(out.splits, v.splits, 'weight-gradient splits');
    assert.equal(out.dispatches, out.splits === 1 ? 1 : 2, 'one split writes dw directly; more need the reduce pass');
  });
});

const CONVT: [string, ConvT2dShape, Variant][] = [
  ['odd 6x5 3x3 s2 p1 op1', { N: 3, Cin: 5, H: 6, W: 5, Cout: 3, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 1 }, { leaky: 0.2, mask: 0.1 }],
  ['odd 13x13 2x2 s1 p0', { N: 3, Cin: 5, H: 13, W: 13, Cout: 6, KH: 2, KW: 2, stride: 1, pad: 0, outputPadding: 0 }, {}],
  ['odd 5x7 4x4 s2 p1', { N: 2, Cin: 6, H: 5, W: 7, Cout: 5, KH: 4, KW: 4, stride: 2, pad: 1, outputPadding: 0 }, { splits: 1 }],
  ['VAE dec1 4->7 128->64 3x3', { N: 3, Cin: 128, H: 4, W: 4, Cout: 64, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 0 }, { leaky: 0.2 }],
  ['VAE dec2 7->14 64->32 4x4', { N: 3, Cin: 64, H: 7, W: 7, Cout: 32, KH: 4, KW: 4, stride: 2, pad: 1, outputPadding: 0 }, { leaky: 0.2, mask: 0.2 }],
  ['VAE dec3 14->28 32->1 4x4', { N: 3, Cin: 32, H: 14, W: 14, Cout: 1, KH: 4, KW: 4, stride: 2, pad: 1, outputPadding: 0 }, { mask: 0.2 }],
  ['VAE dec2 7->14 64->32 3x3 op1', { N: 2, Cin: 64, H: 7, W: 7, Cout: 32, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 1 }, {}],
  ['VAE dec3 14->28 32->1 3x3 op1', { N: 2, Cin: 32, H: 14, W: 14, Cout: 1, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 1 }, {}],
];

CONVT.forEach(([name, s, v], i) => {
  test(`conv_transpose2d ${name}: forward, backward to input, to weights and bias ${JSON.stringify(v)}`, async () => {
    await checkLayer('convT', s, v, 100 * i + 7);
  });
});
