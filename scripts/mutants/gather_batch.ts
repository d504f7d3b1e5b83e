// Minibatch gather: shaders/gather_batch.wgsl and src/ref/gather_batch.ts. Independent check: the
// picks typed out (gather_batch.test.ts).
import type { Family } from './types.ts';

const K = 'shaders/gather_batch.wgsl', REF = 'src/ref/gather_batch.ts';

const family: Family = {
  kernel: 'gather_batch',
  tests: ['test/gather_batch.test.ts'],
  mutants: [
    {
      name: 'bytes scaled by 1/256 instead of 1/255',
      edits: [
        [K, '& 0xffu) / 255.0;', '& 0xffu) / 256.0;'],
        [REF, 'images[img * D + d] / 255;', 'images[img * D + d] / 256;'],
      ],
    },
    {
      name: 'batch position one batch ahead (off by one)',
      edits: [
        [K, 'order[(state.step - params.epochStart) * params.B + m]', 'order[(state.step - params.epochStart + 1u) * params.B + m]'],
        [REF, 'const img = order[batchIndex * B + m];', 'const img = order[(batchIndex + 1) * B + m];'],
      ],
    },
    {
      name: 'bytes unpacked in reversed lane order (endianness)',
      edits: [
        [K, '(images[k / 4u] >> ((k % 4u) * 8u))', '(images[k / 4u] >> ((3u - k % 4u) * 8u))'],
        [REF, 'images[img * D + d] / 255;', '(images[(img * D + d) ^ 3] ?? 0) / 255;'],
      ],
    },
  ],
};
export default family;
