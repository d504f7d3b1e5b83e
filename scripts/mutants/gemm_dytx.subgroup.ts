// gemm_dytx's subgroup + texture variant (shaders/gemm_dytx.subgroup.wgsl, a template). The variant
// shares gemm_dytx's float64 reference (src/ref/gemm.ts), which stays untouched: the GEMM test runs
// every variant against it (test/gemm.test.ts), so that test is the independent check here.
import type { Family } from './types.ts';

const K = 'shaders/gemm_dytx.subgroup.wgsl';

const family: Family = {
  kernel: 'gemm_dytx.subgroup',
  tests: ['test/gemm.test.ts'],
  mutants: [
    {
      name: 'the rows past the last block of four dropped (M mod 4 tail loop skipped)',
      edits: [[K, 'for (; m < dims.M; m++) {\n    let x = textureLoad', 'for (; m < dims.M - dims.M % 4u; m++) {\n    let x = textureLoad']],
    },
    {
      name: 'second row of a block multiplied by the first row of X',
      edits: [[K, 'a$q_0 = g0.x * x0 + (g1.x * x1 +', 'a$q_0 = g0.x * x0 + (g1.x * x0 +']],
    },
    {
      name: 'db skips row 0',
      edits: [[K, 'for (var m = 0u; m < dims.M; m++) {\n      s$t +=', 'for (var m = 1u; m < dims.M; m++) {\n      s$t +=']],
    },
  ],
};
export default family;
