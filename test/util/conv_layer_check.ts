// One conv or transposed-conv layer on the GPU (test/page/conv_probes.ts convLayer: forward,
// backward to the input, backward to weights and bias) against the float64 reference
// (src/ref/conv2d.ts), padding included. Shared by the kernels' test (conv2d.test.ts) and the
// conv families' variants test (conv_variants.test.ts).
// Tolerance: |gpu - ref| <= 1e-4 + 1e-4 |ref|, inputs in [-1, 1] (f32 sums of up to a few
// hundred products).
import assert from 'node:assert/strict';
import {
  conv2dBackwardData, conv2dBackwardWeight, conv2dForward, convOut, convTOut, convTranspose2dBackwardData,
  convTranspose2dBackwardWeight, convTranspose2dForward, type Conv2dShape, type ConvT2dShape,
} from '../../src/ref/conv2d.ts';
import { leakyRelu, leakyReluBackward } from '../../src/ref/leaky_relu.ts';
import { nchwToRows, rowsToNchw, weightFromGpu, weightToGpu } from '../../src/kernels/conv_layout.ts';
import { assertClose, assertPaddingZero, uniformArray, unpad } from './compare.ts';
import type { ProbeHarness } from './harness.ts';

export const TOL = { atol: 1e-4, rtol: 1e-4 };
const c4 = (n: number) => Math.ceil(n / 4) * 4;

export interface Variant { leaky?: number; mask?: number; splits?: number }

export interface LayerOut { y: Float32Array; dx: Float32Array; dw: Float32Array; db: Float32Array; splits: number; dispatches: number;
  /** family -> the variant its launches used */
  used: Record<string, string> }

/** Runs one layer on the GPU and checks all three passes against the reference. */
export const convLayerChecker = (harness: () => ProbeHarness) => async function checkLayer(kind: 'conv' | 'convT', s: Conv2dShape | ConvT2dShape, v: Variant, seed: number, kernels?: string[]): Promise<LayerOut> {
  const { Ho, Wo } = kind === 'conv' ? convOut(s) : convTOut(s as ConvT2dShape);
  const { N, Cin, H, W, Cout, KH, KW } = s;
  // the weight's rows are the small image's channels: Cout for a conv, Cin for a transposed conv
  const [R, Cw] = kind === 'conv' ? [Cout, Cin] : [Cin, Cout];
  const x = uniformArray(N * Cin * H * W, seed), w = uniformArray(R * Cw * KH * KW, seed + 1), b = uniformArray(Cout, seed + 2);
  const dy = uniformArray(N * Cout * Ho * Wo, seed + 3), act = uniformArray(N * Cin * H * W, seed + 4);
  const out = await harness().call<LayerOut>('convLayer', {
    kind, shape: s, x: nchwToRows(x, N, Cin, H, W), w: weightToGpu(w, R, Cw, KH, KW), b, dy: nchwToRows(dy, N, Cout, Ho, Wo),
    leaky: v.leaky, mask: v.mask === undefined ? undefined : { act: nchwToRows(act, N, Cin, H, W), slope: v.mask }, splits: v.splits, kernels,
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
};
