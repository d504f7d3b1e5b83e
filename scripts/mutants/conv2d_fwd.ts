// Conv forward (and the transposed conv's backward to its input, the same kernel):
// shaders/conv2d_fwd.wgsl with conv2dForward and convTranspose2dBackwardData of src/ref/conv2d.ts.
// Independent checks: the six-loop definition and the adjoint identities (conv_definition.test.ts),
// finite differences of the CNN (conv_gradients.test.ts).
import type { Family } from './types.ts';

const K = 'shaders/conv2d_fwd.wgsl', REF = 'src/ref/conv2d.ts';
const TAP = 'let base = select(vec4<u32>(0u), ((img + vec4<u32>(ih)) * geo.W + vec4<u32>(iw)) * ci4, ok);';
const READS = ['let b0 = Wt[w0 + t + c];', 'let b1 = Wt[w1 + t + c];', 'let b2 = Wt[w2 + t + c];', 'let b3 = Wt[w3 + t + c];'];
const REF_FWD_W = 'acc += x[((n * Cin + ci) * H + ih) * W + iw] * w[((co * Cin + ci) * KH + kh) * KW + kw];';
const REF_TDX_W = 'acc += dy[((n * Cout + co) * Ho + oh) * Wo + ow] * w[((ci * Cout + co) * KH + kh) * KW + kw];';
/** the kernel reads weight tap `tf` (defined per tap) instead of the running offset t */
const readsAt = (tf: string) => [
  [K, TAP, `${TAP}\n      let tf = ${tf};`] as [string, string, string],
  ...READS.map((r) => [K, r, r.replace(' + t + ', ' + tf + ')] as [string, string, string]),
];

const family: Family = {
  kernel: 'conv2d_fwd',
  tests: ['test/conv_definition.test.ts', 'test/conv_gradients.test.ts'],
  mutants: [
    {
      name: 'kernel flipped (true convolution instead of PyTorch\'s cross-correlation)',
      edits: [
        ...readsAt('((geo.KH - 1u - kh) * geo.KW + (geo.KW - 1u - kw)) * ci4'),
        [REF, REF_FWD_W, REF_FWD_W.replace('* KH + kh) * KW + kw]', '* KH + (KH - 1 - kh)) * KW + (KW - 1 - kw)]')],
        [REF, REF_TDX_W, REF_TDX_W.replace('* KH + kh) * KW + kw]', '* KH + (KH - 1 - kh)) * KW + (KW - 1 - kw)]')],
      ],
    },
    {
      name: 'weight taps transposed (kh and kw swapped in the weight index)',
      edits: [
        ...readsAt('(kw * geo.KH + kh) * ci4'),
        [REF, REF_FWD_W, REF_FWD_W.replace('* KH + kh) * KW + kw]', '* KW + kw) * KH + kh]')],
        [REF, REF_TDX_W, REF_TDX_W.replace('* KH + kh) * KW + kw]', '* KW + kw) * KH + kh]')],
      ],
    },
    {
      name: 'bias dropped from the forward',
      edits: [
        [K, 'let b = bias[c4];', 'let b = vec4<f32>(0.0);'],
        [REF, 'y.fill(b[co], ((n * Cout + co) * Ho) * Wo, ((n * Cout + co + 1) * Ho) * Wo);\n  eachTap(N, Ho, Wo, H, W,', 'y.fill(0, ((n * Cout + co) * Ho) * Wo, ((n * Cout + co + 1) * Ho) * Wo);\n  eachTap(N, Ho, Wo, H, W,'],
      ],
    },
  ],
};
export default family;
