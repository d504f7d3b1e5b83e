// Conv backward to the weights and bias (conv and transposed conv share the kernel):
// shaders/conv2d_bwd_weight.wgsl with conv2dBackwardWeight and convTranspose2dBackwardWeight.
// Independent checks: <conv(x), dy> = <w, dw> and db = per-channel sums of dy
// (conv_definition.test.ts), finite differences of the CNN (conv_gradients.test.ts).
import type { Family } from './types.ts';

const K = 'shaders/conv2d_bwd_weight.wgsl', REF = 'src/ref/conv2d.ts';
const REF_DW = 'dw[((co * Cin + ci) * KH + kh) * KW + kw] += g * x[((n * Cin + ci) * H + ih) * W + iw];';
const REF_TDW = 'dw[((ci * Cout + co) * KH + kh) * KW + kw] += v * dy[((n * Cout + co) * Ho + oh) * Wo + ow];';

const family: Family = {
  kernel: 'conv2d_bwd_weight',
  tests: ['test/conv_definition.test.ts', 'test/conv_gradients.test.ts'],
  mutants: [
    {
      name: 'dw written to the flipped tap',
      edits: [
        [K, 'let kh = tap / geo.KW;\n  let kw = tap % geo.KW;', 'let kh = geo.KH - 1u - tap / geo.KW;\n  let kw = geo.KW - 1u - tap % geo.KW;'],
        [REF, REF_DW, REF_DW.replace('* KH + kh) * KW + kw]', '* KH + (KH - 1 - kh)) * KW + (KW - 1 - kw)]')],
        [REF, REF_TDW, REF_TDW.replace('* KH + kh) * KW + kw]', '* KH + (KH - 1 - kh)) * KW + (KW - 1 - kw)]')],
      ],
    },
    {
      name: 'db the mean of dy over pixels instead of the sum',
      edits: [
        [K, 'outB[z * geo.b4 + cb] = s;', 'outB[z * geo.b4 + cb] = s / f32(geo.rowsB);'],
        [REF, 'db[co] += dy[(n * Cout + co) * Ho * Wo + i];', 'db[co] += dy[(n * Cout + co) * Ho * Wo + i] / (N * Ho * Wo);'],
      ],
    },
    {
      name: 'dw divided by the batch size (a loss-mean scale applied twice)',
      edits: [
        [K, 'let rowLen = taps * ci4;', 'let rowLen = taps * ci4;\n  let invN = f32(geo.Ho * geo.Wo) / f32(geo.M);'],
        [K, 'outW[o] = a0;', 'outW[o] = a0 * invN;'],
        [K, 'outW[o + rowLen] = a1;', 'outW[o + rowLen] = a1 * invN;'],
        [K, 'outW[o + 2u * rowLen] = a2;', 'outW[o + 2u * rowLen] = a2 * invN;'],
        [K, 'outW[o + 3u * rowLen] = a3;', 'outW[o + 3u * rowLen] = a3 * invN;'],
        [REF, REF_DW, REF_DW.replace('* W + iw];', '* W + iw] / N;')],
        [REF, REF_TDW, REF_TDW.replace('* Wo + ow];', '* Wo + ow] / N;')],
      ],
    },
  ],
};
export default family;
