// gemm_xwt's subgroup + texture variant (shaders/gemm_xwt.subgroup.wgsl, a template). The variant
// shares gemm_xwt's float64 reference (src/ref/gemm.ts), which stays untouched: the GEMM test runs
// every variant against it (test/gemm.test.ts), so that test is the independent check here.
import type { Family } from './types.ts';

const K = 'shaders/gemm_xwt.subgroup.wgsl';

const family: Family = {
  kernel: 'gemm_xwt.subgroup',
  tests: ['test/gemm.test.ts'],
  mutants: [
    {
      name: 'every lane takes lane 0\'s X row (broadcast index fixed)',
      edits: [[K, 'subgroupBroadcast(xl$rt, $rlu)', 'subgroupBroadcast(xl$rt, 0u)']],
    },
    {
      name: 'W block columns 1 and 2 swapped in the FMAs',
      edits: [[K, 'x.y * b1 + (x.z * b2 +', 'x.y * b2 + (x.z * b1 +']],
    },
    {
      name: 'the last vec4 of K skipped',
      edits: [[K, 'for (var k = 0u; k < ldK4; k++) {', 'for (var k = 0u; k + 1u < ldK4; k++) {']],
    },
  ],
};
export default family;
