// gemm_xwt's workgroup-tiled variants (shaders/gemm_xwt.tiled.wgsl, a template for both tiles).
// They share gemm_xwt's float64 reference (src/ref/gemm.ts), which stays untouched: their own test
// forces every tile against it (test/gemm_tiled.test.ts), so that test is the independent check.
import type { Family } from './types.ts';

const K = 'shaders/gemm_xwt.tiled.wgsl';

const family: Family = {
  kernel: 'gemm_xwt.tiled',
  tests: ['test/gemm_tiled.test.ts'],
  mutants: [
    {
      name: 'X slice transposed with k+1 and k+2 swapped',
      edits: [[K, 'xs[at + BM / 4u][r % 4u] = v.y;', 'xs[at + BM / 4u][r % 4u] = v.z;'], [K, 'xs[at + 2u * (BM / 4u)][r % 4u] = v.z;', 'xs[at + 2u * (BM / 4u)][r % 4u] = v.y;']],
    },
    {
      name: 'the last vec4 of K read as 0 (bound off by one)',
      edits: [[K, 'if (m0 + r < M && k04 + q < ldK4) { v = X[', 'if (m0 + r < M && k04 + q + 1u < ldK4) { v = X[']],
    },
    {
      name: 'the second barrier dropped (the next slice overwrites one still being read)',
      edits: [[K, '    workgroupBarrier();\n  }\n  for (var i = 0u; i < TM; i++) {', '  }\n  for (var i = 0u; i < TM; i++) {']],
    },
    {
      name: 'output vec4 columns strided by 8 instead of 16 (the 8x8 tile\'s second column block misplaced)',
      edits: [[K, 'let n4 = wg.x * BN4 + lid.x + 16u * j;', 'let n4 = wg.x * BN4 + lid.x + 8u * j;']],
    },
  ],
};
export default family;
