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
        [K, 'vec4<f32>(bytes) / 255.0', 'vec4<f32>(bytes) / 256.0'],
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
        [K, '>> vec4<u32>(0u, 8u, 16u, 24u)', '>> vec4<u32>(24u, 16u, 8u, 0u)'],
        [REF, 'images[img * D + d] / 255;', '(images[(img * D + d) ^ 3] ?? 0) / 255;'],
      ],
    },
    {
      name: 'a row straddling two words takes only the first word (index math, kernel only)',
      edits: [[K, 'select((lo >> (8u * s)) | (hi << (32u - 8u * s)), lo, s == 0u)', 'select(lo >> (8u * s), lo, s == 0u)']],
    },
    {
      name: 'second word loaded only when the 4 pixels are all in the row (off by the shift, kernel only)',
      edits: [[K, 'if (s != 0u && d + 4u - s < params.D)', 'if (s != 0u && d + 4u <= params.D)']],
    },
    {
      name: 'the pixel after the row kept in the padding (live mask off by one, kernel only)',
      edits: [[K, '+ vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(params.D)', '+ vec4<u32>(0u, 1u, 2u, 3u) <= vec4<u32>(params.D)']],
    },
    {
      name: 'f32 points: every lane loads the vec4\'s first value (index math, kernel only)',
      edits: [[K, 'v[j] = bitcast<f32>(images[k + j]);', 'v[j] = bitcast<f32>(images[k]);']],
    },
    {
      name: 'one vec4 of a group of four written twice, another never (index math, kernel only)',
      edits: [[K, 'pixels4(m, c0 + 3u, img, ld4);', 'pixels4(m, c0 + 2u, img, ld4);']],
    },
    {
      name: 'the vec4s after the last group of four start one late (kernel only)',
      edits: [[K, 'for (var c = c0; c < ld4; c++)', 'for (var c = c0 + 1u; c < ld4; c++)']],
    },
  ],
};
export default family;
