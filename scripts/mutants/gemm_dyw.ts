// Dense backward to the input dX = (dY W) * act'(A): shaders/gemm_dyw.wgsl and reluMask of
// src/ref/gemm.ts. Independent checks: the definition typed out (gemm_definition.test.ts), finite
// differences of the float64 model (ref_vae.test.ts).
import type { Family } from './types.ts';

const K = 'shaders/gemm_dyw.wgsl', REF = 'src/ref/gemm.ts';
const REF_MASK = 'out[i] = a[i] > 0 ? dx[i] : slope ? slope * dx[i] : 0;';

const family: Family = {
  kernel: 'gemm_dyw',
  tests: ['test/gemm_definition.test.ts', 'test/ref_vae.test.ts'],
  mutants: [
    {
      name: 'activation derivative 1 at exactly 0 (> -> >=)',
      edits: [
        [K, 'A[row * dims.ldK4 + k4] > vec4<f32>(0.0)', 'A[row * dims.ldK4 + k4] >= vec4<f32>(0.0)'],
        [REF, REF_MASK, 'out[i] = a[i] >= 0 ? dx[i] : slope ? slope * dx[i] : 0;'],
      ],
    },
    {
      name: 'LeakyReLU derivative 1 - slope instead of slope',
      edits: [
        [K, 'if (MASK) { return select(SLOPE * v, v,', 'if (MASK) { return select((1.0 - SLOPE) * v, v,'],
        [REF, REF_MASK, 'out[i] = a[i] > 0 ? dx[i] : slope ? (1 - slope) * dx[i] : 0;'],
      ],
    },
    {
      name: 'ReLU mask dropped',
      edits: [
        [K, 'if (MASK && SLOPE == 0.0) { return select(vec4<f32>(0.0), v, A[row * dims.ldK4 + k4] > vec4<f32>(0.0)); }', 'if (MASK && SLOPE == 0.0) { return v; }'],
        [REF, REF_MASK, 'out[i] = a[i] > 0 ? dx[i] : slope ? slope * dx[i] : dx[i];'],
      ],
    },
  ],
};
export default family;
