// gemm_dyw's subgroup + texture variant (shaders/gemm_dyw.subgroup.wgsl, a template). The variant
// shares gemm_dyw's float64 reference (src/ref/gemm.ts), which stays untouched: the GEMM test runs
// every variant against it (test/gemm.test.ts), so that test is the independent check here.
import type { Family } from './types.ts';

const K = 'shaders/gemm_dyw.subgroup.wgsl';

const family: Family = {
  kernel: 'gemm_dyw.subgroup',
  tests: ['test/gemm.test.ts'],
  mutants: [
    {
      name: 'LeakyReLU mask arms swapped (slope where A > 0)',
      edits: [[K, 'if (MASK) { return select(SLOPE * v, v,', 'if (MASK) { return select(v, SLOPE * v,']],
    },
    {
      name: 'broadcast from the next lane (rows shifted by one)',
      edits: [[K, 'subgroupBroadcast(gl$rt, $rlu)', 'subgroupBroadcast(gl$rt, ($rlu + 1u) % $LANESu)']],
    },
    {
      name: 'W rows 1 and 2 of a block swapped',
      edits: [[K, 'g.y * b1 + (g.z * b2 +', 'g.y * b2 + (g.z * b1 +']],
    },
  ],
};
export default family;
