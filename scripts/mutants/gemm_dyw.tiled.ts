// gemm_dyw's workgroup-tiled variants (shaders/gemm_dyw.tiled.wgsl, a template for both tiles).
// They share gemm_dyw's float64 reference (src/ref/gemm.ts), which stays untouched: their own test
// forces every tile against it (test/gemm_tiled.test.ts), so that test is the independent check.
import type { Family } from './types.ts';

const K = 'shaders/gemm_dyw.tiled.wgsl';

const family: Family = {
  kernel: 'gemm_dyw.tiled',
  tests: ['test/gemm_tiled.test.ts'],
  mutants: [
    {
      name: 'mask arms swapped (the slope where A > 0)',
      edits: [[K, 'return select(dims.slope * v, v, a > vec4<f32>(0.0));', 'return select(v, dims.slope * v, a > vec4<f32>(0.0));']],
    },
    {
      name: 'dY slice transposed with n+1 and n+2 swapped',
      edits: [[K, 'ys[at + BM / 4u][r % 4u] = v.y;', 'ys[at + BM / 4u][r % 4u] = v.z;'], [K, 'ys[at + 2u * (BM / 4u)][r % 4u] = v.z;', 'ys[at + 2u * (BM / 4u)][r % 4u] = v.y;']],
    },
    {
      name: 'the last row of W read as 0 (bound off by one)',
      edits: [[K, 'if (4u * n04 + r < 4u * ldN4 && k04 + q < ldK4)', 'if (4u * n04 + r + 1u < 4u * ldN4 && k04 + q < ldK4)']],
    },
    {
      name: 'the first barrier dropped (slices read before every invocation wrote its part)',
      edits: [[K, '      ws[i] = v;\n    }\n    workgroupBarrier();', '      ws[i] = v;\n    }']],
    },
  ],
};
export default family;
