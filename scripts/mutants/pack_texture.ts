// pack_texture.wgsl: copies a matrix into the rgba32float texture the subgroup GEMM variants read.
// An identity copy has no reference of its own; the GEMM test runs every texture-reading variant
// against the float64 GEMM reference (test/gemm.test.ts), which catches a wrong copy.
import type { Family } from './types.ts';

const K = 'shaders/pack_texture.wgsl';

const family: Family = {
  kernel: 'pack_texture',
  tests: ['test/gemm.test.ts'],
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
  ],
};
export default family;
