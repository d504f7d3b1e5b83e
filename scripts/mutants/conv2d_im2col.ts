// The conv families' im2col variant's copies (shaders/conv2d_im2col.wgsl; the GEMMs they feed have
// families of their own). Their float64 reference is the conv oracle itself (src/ref/conv2d.ts: the
// variant's test compares whole passes), which these mutants leave alone: the only check credited
// is the independent one, conv_definition.test.ts, whose every case also runs with each pass forced
// to im2col (the six-loop definition, the adjoint identities, db as channel sums).
import type { Family } from './types.ts';

const K = 'shaders/conv2d_im2col.wgsl';
const IH = 'let ih = i32(oh * STRIDE + t / KW) - i32(PAD);';
const IW = 'let iw = i32(ow * STRIDE + t % KW) - i32(PAD);';

const family: Family = {
  kernel: 'conv2d_im2col',
  tests: ['test/conv_definition.test.ts'],
  mutants: [
    {
      name: 'im2col: kernel flipped (tap K-1-k: true convolution)',
      edits: [
        [K, IH, IH.replace('t / KW', '(KH - 1u - t / KW)')],
        [K, IW, IW.replace('t % KW', '(KW - 1u - t % KW)')],
      ],
    },
    { name: 'im2col: the width padding not subtracted', edits: [[K, IW, IW.replace(' - i32(PAD);', ';')]] },
    { name: 'col2im: the stride test dropped for columns (taps between strides summed)', edits: [[K, 'if (tw < 0 || tw % s != 0 ||', 'if (tw < 0 ||']] },
    // bias times 0, not deleted: a binding the entry no longer reads would leave the bind group
    // invalid, and the test would catch the error instead of the formula
    { name: 'col2im: bias dropped (transposed conv forward)', edits: [[K, 'if (BIAS) { a += bias[c]; }', 'if (BIAS) { a += 0.0 * bias[c]; }']] },
    { name: 'colsum: lanes stride 32 rows instead of 64 (rows counted twice)', edits: [[K, 'r += 64u', 'r += 32u']] },
  ],
};
export default family;
