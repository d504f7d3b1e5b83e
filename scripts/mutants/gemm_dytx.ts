// Dense backward to the weights dW = dY^T X and bias db = column sums of dY: shaders/gemm_dytx.wgsl
// and matmulDytX / columnSums of src/ref/gemm.ts. Independent checks: the definition typed out
// (gemm_definition.test.ts), finite differences of the float64 model (ref_vae.test.ts).
import type { Family } from './types.ts';

const K = 'shaders/gemm_dytx.wgsl', REF = 'src/ref/gemm.ts';

const family: Family = {
  kernel: 'gemm_dytx',
  tests: ['test/gemm_definition.test.ts', 'test/ref_vae.test.ts'],
  mutants: [
    {
      name: 'db the mean of dY over rows instead of the sum',
      edits: [
        [K, 'if (k4 == 0u) { db[n4] = s; }', 'if (k4 == 0u) { db[n4] = s / f32(dims.M); }'],
        [REF, 'for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) s[j] += dy[i * N + j];', 'for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) s[j] += dy[i * N + j] / M;'],
      ],
    },
    {
      name: 'last row of dY left out of dW and db (off by one)',
      edits: [
        [K, 'for (var m = 0u; m < dims.M; m++) {', 'for (var m = 0u; m + 1u < dims.M; m++) {'],
        [REF, 'const dw = new Float64Array(N * K);\n  for (let i = 0; i < M; i++) {', 'const dw = new Float64Array(N * K);\n  for (let i = 0; i < M - 1; i++) {'],
        [REF, 'for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) s[j] += dy[i * N + j];', 'for (let i = 0; i < M - 1; i++) for (let j = 0; j < N; j++) s[j] += dy[i * N + j];'],
      ],
    },
    {
      name: 'dW rows 4n+1 and 4n+2 swapped (transposed store)',
      edits: [
        [K, 'dW[w + ldK4] = a1;\n  dW[w + 2u * ldK4] = a2;', 'dW[w + ldK4] = a2;\n  dW[w + 2u * ldK4] = a1;'],
        [REF, 'const wo = j * K;\n      for (let k = 0; k < K; k++) dw[wo + k] += g * x[xo + k];', 'const wo = (j % 4 === 1 ? j + 1 : j % 4 === 2 ? j - 1 : j) * K;\n      for (let k = 0; k < K; k++) dw[wo + k] += g * x[xo + k];'],
      ],
    },
  ],
};
export default family;
