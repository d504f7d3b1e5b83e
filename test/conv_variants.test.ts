// The conv families' variants (src/kernels/conv_family.ts, conv_im2col.ts, shaders/conv2d_im2col.wgsl)
// against the float64 reference, through the layer launchers: every pass of a conv and a transposed
// conv (so every epilogue: bias, LeakyReLU, mask; a conv's and a transposed conv's bias gradient)
// with the `im2col` variant, its GEMMs once on the GEMM families' `base` and once forced to the
// subgroup + texture variant (where the adapter has subgroups; where it has not, the test says so
// and checks that the fallback ran). Odd sizes and the CNN VAE's own layers at a small batch.
// Tolerance (test/util/conv_layer_check.ts): |gpu - ref| <= 1e-4 + 1e-4 |ref|, inputs in [-1, 1].
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Conv2dShape, ConvT2dShape } from '../src/ref/conv2d.ts';
import { convLayerChecker, type Variant } from './util/conv_layer_check.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const checkLayer = convLayerChecker(harness);
const PASSES = ['conv2d_fwd', 'conv2d_bwd_data', 'conv2d_bwd_weight'];

const CONV: [string, Conv2dShape, Variant][] = [
  ['odd 13x11 3x3 s2 p1', { N: 3, Cin: 5, H: 13, W: 11, Cout: 6, KH: 3, KW: 3, stride: 2, pad: 1 }, { leaky: 0.2, mask: 0.1 }],
  ['odd 2x3 kernel s1 p0', { N: 2, Cin: 3, H: 6, W: 7, Cout: 7, KH: 2, KW: 3, stride: 1, pad: 0 }, { leaky: 1.5 }],
  ['stride 3 pad 1', { N: 2, Cin: 4, H: 10, W: 9, Cout: 3, KH: 3, KW: 3, stride: 3, pad: 1 }, {}],
  ['VAE enc1 28->14 1->32', { N: 2, Cin: 1, H: 28, W: 28, Cout: 32, KH: 3, KW: 3, stride: 2, pad: 1 }, { leaky: 0.3 }],
  ['VAE enc3 7->4 64->128', { N: 2, Cin: 64, H: 7, W: 7, Cout: 128, KH: 3, KW: 3, stride: 2, pad: 1 }, { mask: 0.3 }],
];

const CONVT: [string, ConvT2dShape, Variant][] = [
  ['odd 6x5 3x3 s2 p1 op1', { N: 3, Cin: 5, H: 6, W: 5, Cout: 3, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 1 }, { leaky: 0.2, mask: 0.1 }],
  ['odd 5x7 4x4 s2 p1', { N: 2, Cin: 6, H: 5, W: 7, Cout: 5, KH: 4, KW: 4, stride: 2, pad: 1, outputPadding: 0 }, { leaky: 1.5 }],
  ['VAE dec1 4->7 128->64', { N: 2, Cin: 128, H: 4, W: 4, Cout: 64, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 0 }, { leaky: 0.3, mask: 0.3 }],
  ['VAE dec3 14->28 32->1 op1', { N: 2, Cin: 32, H: 14, W: 14, Cout: 1, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 1 }, {}],
];

/** the GEMM variant asked for, or where the adapter has no subgroups the fallback it must get */
async function gemmVariant(): Promise<{ forced: string[]; want: string }> {
  const { caps } = await harness().call<{ caps: { features: string[]; subgroupSize: number } }>('gemmVariants', { M: 1, N: 1, K: 1 });
  const sub = caps.features.includes('subgroups') && caps.subgroupSize >= 4;
  if (!sub) console.log(`no fixed-size subgroups here (${JSON.stringify(caps)}): the im2col GEMMs run base`);
  return { forced: ['subgroup.r32'], want: sub ? 'subgroup.r32' : 'base' };
}

for (const [kind, list] of [['conv', CONV], ['convT', CONVT]] as const) {
  list.forEach(([name, s, v], i) => {
    test(`${kind} ${name} ${JSON.stringify(v)}: im2col on base GEMMs, then on subgroup GEMMs`, async () => {
      const base = await checkLayer(kind, s, v, 300 * i + 11, ['im2col']);
      for (const p of PASSES) assert.equal(base.used[p], 'im2col', `${p} ran im2col`);
      for (const f of ['gemm_xwt', 'gemm_dyw', 'gemm_dytx']) assert.equal(base.used[f], 'base', `${f} ran base`);
      const g = await gemmVariant();
      const sub = await checkLayer(kind, s, v, 300 * i + 13, ['im2col', ...g.forced]);
      for (const f of ['gemm_xwt', 'gemm_dyw', 'gemm_dytx']) assert.equal(sub.used[f], g.want, `${f} ran ${g.want}`);
    });
  });
}
