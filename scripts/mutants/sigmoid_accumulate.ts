// Mean of decoder outputs: shaders/sigmoid_accumulate.wgsl and src/ref/sigmoid_accumulate.ts.
// Independent check: the definition typed out (sigmoid_accumulate.test.ts).
import type { Family } from './types.ts';

const K = 'shaders/sigmoid_accumulate.wgsl', REF = 'src/ref/sigmoid_accumulate.ts';

const family: Family = {
  kernel: 'sigmoid_accumulate',
  tests: ['test/sigmoid_accumulate.test.ts'],
  mutants: [
    {
      name: 'overwrites instead of accumulating (= for +=)',
      edits: [
        [K, 'acc[i] += params.weight *', 'acc[i] = params.weight *'],
        [REF, 'return Float64Array.from(acc, (a, i) => a + weight * sigmoid(logits[i]));', 'return Float64Array.from(acc, (_, i) => weight * sigmoid(logits[i]));'],
      ],
    },
    {
      name: 'sigmoid branches swapped (sigmoid(-l))',
      edits: [
        [K, 'select(e / (1.0 + e), 1.0 / (1.0 + e), l >= 0.0);', 'select(1.0 / (1.0 + e), e / (1.0 + e), l >= 0.0);'],
        [REF, 'a + weight * sigmoid(logits[i])', 'a + weight * sigmoid(-logits[i])'],
      ],
    },
    {
      name: 'weight dropped',
      edits: [
        [K, 'acc[i] += params.weight *', 'acc[i] += 0.0 * params.weight + '],
        [REF, 'a + weight * sigmoid(logits[i])', 'a + sigmoid(logits[i])'],
      ],
    },
  ],
};
export default family;
