// pack_texture.wgsl: copies a matrix into the rgba32float texture the subgroup GEMM variants read,
// and the same pack as copy commands (src/kernels/texture_pack.ts copyRows), which training runs.
// An identity copy has no float64 reference; test/pack_texture.test.ts checks both ways against
// the layout written out in the test.
import type { Family } from './types.ts';

const K = 'shaders/pack_texture.wgsl';
const C = 'src/kernels/texture_pack.ts';

const family: Family = {
  kernel: 'pack_texture',
  tests: ['test/pack_texture.test.ts'],
  mutants: [
    {
      name: 'texture rows of 128 texels instead of 256 (layout the variants do not read)',
      edits: [[K, 'textureStore(dst, vec2<u32>(i & 255u, i >> 8u), src[i]);', 'textureStore(dst, vec2<u32>(i & 127u, i >> 7u), src[i]);']],
    },
    {
      name: 'the last texel never written',
      edits: [[K, 'if (i >= arrayLength(&src)) { return; }', 'if (i + 1u >= arrayLength(&src)) { return; }']],
    },
    {
      name: 'components of a texel swapped',
      edits: [[K, 'src[i]);', 'src[i].yxzw);']],
    },
    {
      name: 'copies: the partial last row never copied',
      edits: [[C, 'if (tail > 0) encoder.copyBufferToTexture', 'if (tail < 0) encoder.copyBufferToTexture']],
    },
    {
      name: 'copies: the partial last row copied over the first',
      edits: [[C, '{ texture, origin: [0, full, 0] }, [tail, 1, 1]', '{ texture, origin: [0, 0, 0] }, [tail, 1, 1]']],
    },
  ],
};
export default family;
