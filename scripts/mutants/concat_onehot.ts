// The CVAE's input concatenation: shaders/concat_onehot.wgsl and src/ref/concat_onehot.ts.
// Independent check: the concatenation typed out in concat_onehot.test.ts.
import type { Family } from './types.ts';

const K = 'shaders/concat_onehot.wgsl', REF = 'src/ref/concat_onehot.ts';

const family: Family = {
  kernel: 'concat_onehot',
  tests: ['test/concat_onehot.test.ts'],
  mutants: [
    {
      name: 'one-hot one column late (label + 1, off by one)',
      edits: [
        [K, 'v = select(0.0, 1.0, labels[m] == j - params.K);', 'v = select(0.0, 1.0, labels[m] + 1u == j - params.K);'],
        [REF, 'out[m * (K + C) + K + y] = 1;', 'if (y + 1 < C) out[m * (K + C) + K + y + 1] = 1;'],
      ],
    },
    {
      name: 'backward reads the label block (offset C)',
      edits: [
        [K, 'dsrc[m * params.ldS + j] = select(0.0, ddst[m * params.ldD + j], j < params.K);', 'dsrc[m * params.ldS + j] = select(0.0, ddst[m * params.ldD + j + params.C], j < params.K);'],
        [REF, 'out[m * K + j] = d[m * (K + C) + j];', 'out[m * K + j] = d[m * (K + C) + j + C];'],
      ],
    },
    {
      name: 'one-hot value 1 -> 1/C (wrong constant)',
      edits: [
        [K, 'v = select(0.0, 1.0, labels[m] == j - params.K);', 'v = select(0.0, 1.0 / f32(params.C), labels[m] == j - params.K);'],
        [REF, 'out[m * (K + C) + K + y] = 1;', 'out[m * (K + C) + K + y] = 1 / C;'],
      ],
    },
  ],
};
export default family;
