// The convolution kernels (shaders/conv2d_fwd.wgsl, conv2d_bwd_data.wgsl, conv2d_bwd_weight.wgsl)
// through their launchers (src/kernels/conv2d.ts) against the float64 reference (src/ref/conv2d.ts):
// forward (+ fused LeakyReLU), backward to the input (+ LeakyReLU' mask), backward to weights and
// bias, for conv and transposed-conv layers: odd sizes (batch 3, 5 channels, 13x13) and the CNN
// VAE's own layers (28 -> 14 -> 7 -> 4 and back to exactly 28). Padding channels must stay 0.
// Tolerance: |gpu - ref| <= 1e-4 + 1e-4 |ref|, inputs in [-1, 1] (f32 sums of up to
// N*Ho*Wo = 588 pixel terms or KH*KW*Cin = 576 products).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Conv2dShape, ConvT2dShape } from '../src/ref/conv2d.ts';
import { convLayerChecker, type Variant } from './util/conv_layer_check.ts';
import { useHarness } from './util/harness.ts';

const checkLayer = convLayerChecker(useHarness());

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
