// Standalone LeakyReLU: shaders/leaky_relu.wgsl and src/ref/leaky_relu.ts. Independent check: the
// definition typed out in leaky_relu.test.ts (the reference is also the oracle of the fused
// activations in conv2d.test.ts and batchnorm.test.ts, which see these mutants too).
import type { Family } from './types.ts';

const K = 'shaders/leaky_relu.wgsl', REF = 'src/ref/leaky_relu.ts';

const family: Family = {
  kernel: 'leaky_relu',
  tests: ['test/leaky_relu.test.ts'],
  mutants: [
    {
      name: 'slope applied to the positive side (select arms swapped)',
      edits: [
        [K, 'Y[i] = select(x * SLOPE, x, x > vec4<f32>(0.0));', 'Y[i] = select(x, x * SLOPE, x > vec4<f32>(0.0));'],
        [REF, '(v > 0 ? v : slope * v)', '(v > 0 ? slope * v : v)'],
      ],
    },
    {
      name: 'derivative at 0 is 1 instead of the slope (> -> >=)',
      edits: [
        [K, 'dX[i] = select(g * SLOPE, g, A[i] > vec4<f32>(0.0));', 'dX[i] = select(g * SLOPE, g, A[i] >= vec4<f32>(0.0));'],
        [REF, '(a[i] > 0 ? g : slope * g)', '(a[i] >= 0 ? g : slope * g)'],
      ],
    },
    {
      name: 'backward slope squared (wrong constant)',
      edits: [
        [K, 'dX[i] = select(g * SLOPE, g, A[i] > vec4<f32>(0.0));', 'dX[i] = select(g * SLOPE * SLOPE, g, A[i] > vec4<f32>(0.0));'],
        [REF, '(a[i] > 0 ? g : slope * g)', '(a[i] > 0 ? g : slope * slope * g)'],
      ],
    },
  ],
};
export default family;
