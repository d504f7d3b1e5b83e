// Image layout copies: shaders/pad_channels.wgsl (no float64 reference of its own: the CNN uses it
// only for one-channel images, so its check is the whole CNN VAE against src/ref/cnn_vae.ts).
// Kernel-only mutants: nothing in src/ref could be changed along with them.
import type { Family } from './types.ts';

const K = 'shaders/pad_channels.wgsl';

const family: Family = {
  kernel: 'pad_channels',
  tests: ['test/cnn_vae.test.ts'],
  mutants: [
    {
      name: 'pixel index off by one (image rolled by a pixel)',
      edits: [[K, 'let p = np % geo.P;', 'let p = (np + 1u) % geo.P;']],
    },
    {
      name: 'channel lane off by one (value written to a padding lane)',
      edits: [[K, 'return vec2<u32>(n * geo.ldd + p * geo.C + c, np * geo.ldp + c);', 'return vec2<u32>(n * geo.ldd + p * geo.C + c, np * geo.ldp + c + 1u);']],
    },
    {
      name: 'image flipped (pixel p -> P-1-p on the dense side)',
      edits: [[K, 'return vec2<u32>(n * geo.ldd + p * geo.C + c, np * geo.ldp + c);', 'return vec2<u32>(n * geo.ldd + (geo.P - 1u - p) * geo.C + c, np * geo.ldp + c);']],
    },
  ],
};
export default family;
