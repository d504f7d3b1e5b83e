// Conv backward to the input (and the transposed conv's forward, the same kernel):
// shaders/conv2d_bwd_data.wgsl with conv2dBackwardData and convTranspose2dForward of src/ref/conv2d.ts.
// Independent checks: the adjoint identities for every output padding (conv_definition.test.ts),
// finite differences of the CNN (conv_gradients.test.ts).
import type { Family } from './types.ts';

const K = 'shaders/conv2d_bwd_data.wgsl', REF = 'src/ref/conv2d.ts';
const TAP = 'let t = (kh * geo.KW + kw) * ci4 + c4;';
const REF_DX_W = '+= g * w[((co * Cin + ci) * KH + kh) * KW + kw];';
const REF_TY_W = '+= v * w[((ci * Cout + co) * KH + kh) * KW + kw];';

const family: Family = {
  kernel: 'conv2d_bwd_data',
  tests: ['test/conv_definition.test.ts', 'test/conv_gradients.test.ts'],
  mutants: [
    {
      name: 'kernel flipped in the gather (tap K-1-k)',
      edits: [
        [K, TAP, 'let t = ((geo.KH - 1u - kh) * geo.KW + (geo.KW - 1u - kw)) * ci4 + c4;'],
        [REF, REF_DX_W, REF_DX_W.replace('* KH + kh) * KW + kw]', '* KH + (KH - 1 - kh)) * KW + (KW - 1 - kw)]')],
        [REF, REF_TY_W, REF_TY_W.replace('* KH + kh) * KW + kw]', '* KH + (KH - 1 - kh)) * KW + (KW - 1 - kw)]')],
      ],
    },
    {
      name: 'weight taps transposed (kh and kw swapped in the weight index)',
      edits: [
        [K, TAP, 'let t = (kw * geo.KH + kh) * ci4 + c4;'],
        [REF, REF_DX_W, REF_DX_W.replace('* KH + kh) * KW + kw]', '* KW + kw) * KH + kh]')],
        [REF, REF_TY_W, REF_TY_W.replace('* KH + kh) * KW + kw]', '* KW + kw) * KH + kh]')],
      ],
    },
    {
      name: 'transposed conv: bias dropped',
      edits: [
        [K, 'if (BIAS) { o += bias[at % geo.ci4]; }', 'if (BIAS) { o += 0.0 * bias[at % geo.ci4]; }'],
        [REF, 'y.fill(b[co], ((n * Cout + co) * Ho) * Wo, ((n * Cout + co + 1) * Ho) * Wo);\n  eachTap(N, H, W, Ho, Wo,', 'y.fill(0, ((n * Cout + co) * Ho) * Wo, ((n * Cout + co + 1) * Ho) * Wo);\n  eachTap(N, H, W, Ho, Wo,'],
      ],
    },
  ],
};
export default family;
