// gemm_dytx's workgroup-tiled variants (shaders/gemm_dytx.tiled.wgsl, a template for both tiles).
// They share gemm_dytx's float64 reference (src/ref/gemm.ts), which stays untouched: their own
// test forces every tile against it (test/gemm_tiled.test.ts), so that test is the independent check.
import type { Family } from './types.ts';

const K = 'shaders/gemm_dytx.tiled.wgsl';

const family: Family = {
  kernel: 'gemm_dytx.tiled',
  tests: ['test/gemm_tiled.test.ts'],
  mutants: [
    {
      name: 'db keeps the last row of dY instead of the sum',
      edits: [[K, 'sum[i] += a[i];', 'sum[i] = a[i];']],
    },
    {
      name: 'the M tail dropped (only whole steps of BK rows)',
      edits: [[K, 'for (var m0 = 0u; m0 < M; m0 += BK) {', 'for (var m0 = 0u; m0 + BK <= M; m0 += BK) {']],
    },
    {
      name: 'X slice row r read from row r + 1',
      edits: [[K, 'v = X[(m0 + r) * ldK4 + k04 + q];', 'v = X[(m0 + r + 1u) * ldK4 + k04 + q];']],
    },
    {
      name: 'dW rows: the invocation rows offset by one (ty * TM + i + 1)',
      edits: [[K, 'let n = 4u * n04 + lid.y * TM + i;', 'let n = 4u * n04 + lid.y * TM + i + 1u;']],
    },
  ],
};
export default family;
