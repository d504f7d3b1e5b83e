// Bernoulli decoder loss: shaders/bce_sigmoid.wgsl and src/ref/bce.ts. Independent checks: the
// cross-entropy typed out (bce_sigmoid.test.ts), finite differences of the float64 model. The
// sigmoid is shaders/lib/logistic.wgsl's.
import type { Family } from './types.ts';

const K = 'shaders/bce_sigmoid.wgsl', LIB = 'shaders/lib/logistic.wgsl', REF = 'src/ref/bce.ts';

const family: Family = {
  kernel: 'bce_sigmoid',
  tests: ['test/bce_sigmoid.test.ts', 'test/ref_vae.test.ts'],
  mutants: [
    {
      name: 'the -x*l term dropped (forward and gradient)',
      edits: [
        [K, 'max(l, vec4<f32>(0.0)) - t * l + log(1.0 + exp(-abs(l)))', 'max(l, vec4<f32>(0.0)) + log(1.0 + exp(-abs(l)))'],
        [K, '(p - t) * params.scale', 'p * params.scale'],
        [REF, 's += Math.max(l, 0) - t * l + Math.log1p(Math.exp(-Math.abs(l)));', 's += Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));'],
        [REF, 'grad[k] = (sigmoid(l) - t) * invB;', 'grad[k] = sigmoid(l) * invB;'],
      ],
    },
    {
      name: 'max(l, 0) -> max(-l, 0) (wrong branch; gradient to match)',
      edits: [
        [K, 'max(l, vec4<f32>(0.0)) - t * l', 'max(-l, vec4<f32>(0.0)) - t * l'],
        [K, '(p - t) * params.scale', '(p - 1.0 - t) * params.scale'],
        [REF, 's += Math.max(l, 0) - t * l', 's += Math.max(-l, 0) - t * l'],
        [REF, 'grad[k] = (sigmoid(l) - t) * invB;', 'grad[k] = (sigmoid(l) - 1 - t) * invB;'],
      ],
    },
    {
      name: 'sigmoid branches swapped in the gradient (sigmoid(-l))',
      edits: [
        [LIB, 'return select(e / (1.0 + e), 1.0 / (1.0 + e), l >= 0.0);', 'return select(1.0 / (1.0 + e), e / (1.0 + e), l >= 0.0);'],
        [REF, 'grad[k] = (sigmoid(l) - t) * invB;', 'grad[k] = (sigmoid(-l) - t) * invB;'],
      ],
    },
    {
      name: 'the padding column after the row counted (live mask off by one, kernel only)',
      edits: [[K, 'let live = liveColumns(c, params.D);', 'let live = liveColumns(c, params.D + 1u);']],
    },
    {
      name: 'one of the four running sums left out of the row loss (kernel only)',
      edits: [[K, 'rowLoss[row] = (s.x + s.y) + (s.z + s.w);', 'rowLoss[row] = (s.x + s.y) + s.z;']],
    },
    {
      name: 'rows read at a stride of D instead of ld / 4 vec4s (index math, kernel only)',
      edits: [[K, 'let base = row * ld4;', 'let base = row * (params.D / 4u);']],
    },
  ],
};
export default family;
