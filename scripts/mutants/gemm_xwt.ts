// Dense forward Y = act(X W^T + b): shaders/gemm_xwt.wgsl and addBiasRelu of src/ref/gemm.ts.
// Independent checks: the layer's definition typed out (gemm_definition.test.ts), finite
// differences of the float64 model (ref_vae.test.ts). New GEMM variants: add a file like this one.
import type { Family } from './types.ts';

const K = 'shaders/gemm_xwt.wgsl', REF = 'src/ref/gemm.ts';
const REF_ACT = 'out[i * N + j] = relu && !(v > 0) ? (slope ? slope * v : 0) : v;';

const family: Family = {
  kernel: 'gemm_xwt',
  tests: ['test/gemm_definition.test.ts', 'test/ref_vae.test.ts'],
  mutants: [
    {
      name: 'bias dropped',
      edits: [
        [K, 'let b = bias[n4];', 'let b = vec4<f32>(0.0);'],
        [REF, 'const v = y[i * N + j] + b[j];', 'const v = y[i * N + j];'],
      ],
    },
    {
      name: 'LeakyReLU arms swapped (slope on the positive side)',
      edits: [
        [K, 'if (RELU) { return select(SLOPE * v, v, v > vec4<f32>(0.0)); }', 'if (RELU) { return select(v, SLOPE * v, v > vec4<f32>(0.0)); }'],
        [REF, REF_ACT, 'out[i * N + j] = relu && slope ? (v > 0 ? slope * v : v) : relu && !(v > 0) ? 0 : v;'],
      ],
    },
    {
      name: 'ReLU dropped (the layer stays linear)',
      edits: [
        [K, 'if (RELU && SLOPE == 0.0) { return max(v, vec4<f32>(0.0)); }', 'if (RELU && SLOPE == 0.0) { return v; }'],
        [REF, REF_ACT, 'out[i * N + j] = relu && slope && !(v > 0) ? slope * v : v;'],
      ],
    },
  ],
};
export default family;
