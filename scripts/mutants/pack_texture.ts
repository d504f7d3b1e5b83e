// Texture packs: pack_texture.wgsl (inside a bare compute pass) and the copyBufferToTexture a
// DispatchEncoder runs instead (src/gpu/context.ts), each copying a matrix into the rgba32float
// texture the subgroup GEMM variants read. An identity copy has no reference of its own: the pack
// test reads both forms back against the matrix (test/texture_pack.test.ts), and the GEMM test
// runs every texture-reading variant against the float64 GEMM reference (test/gemm.test.ts).
import type { Family } from './types.ts';

const K = 'shaders/pack_texture.wgsl', C = 'src/gpu/context.ts';

const family: Family = {
  kernel: 'pack_texture',
  tests: ['test/texture_pack.test.ts', 'test/gemm.test.ts'],
  mutants: [
    {
      name: 'texture rows of 128 texels instead of 256 (layout the variants do not read)',
      edits: [[K, 'textureStore(dst, vec2<u32>(i & 255u, i >> 8u), src[i]);', 'textureStore(dst, vec2<u32>(i & 127u, i >> 7u), src[i]);']],
    },
    {
      name: 'the last texel never written',
      edits: [[K, 'let n = arrayLength(&src);', 'let n = arrayLength(&src) - 1u;']],
    },
    {
      name: 'components of a texel swapped',
      edits: [[K, 'src[i]);', 'src[i].yxzw);']],
    },
    {
      name: 'one texel of a group of four written twice, another never (index math)',
      edits: [[K, 'copy(i0 + 3u);', 'copy(i0 + 2u);']],
    },
    {
      name: 'copy: the whole rows read from the buffer start, not the view\'s offset',
      edits: [[C, '{ buffer: c.source, offset: c.offset, bytesPerRow, rowsPerImage: whole }', '{ buffer: c.source, offset: 0, bytesPerRow, rowsPerImage: whole }']],
    },
    {
      name: 'copy: the last, partial row written over the first',
      edits: [[C, '{ texture: c.texture, origin: [0, whole] }', '{ texture: c.texture, origin: [0, 0] }']],
    },
    {
      name: 'copy: the partial row read from the view\'s offset (the first row again)',
      edits: [[C, 'offset: c.offset + whole * bytesPerRow, bytesPerRow }', 'offset: c.offset, bytesPerRow }']],
    },
  ],
};
export default family;
