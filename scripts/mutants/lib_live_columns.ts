// The live-column mask of the row-per-invocation kernels: shaders/lib/live_columns.wgsl (included
// by bce_sigmoid, gaussian_nll and mwg_log_weight). The float64 references loop over the D real
// columns and have no mask, so each mutant edits the WGSL only and the kernel-vs-reference tests,
// at row lengths with a partial last vec4, are independent checks of it.
import type { Family } from './types.ts';

const LIB = 'shaders/lib/live_columns.wgsl';

const family: Family = {
  kernel: 'lib/live_columns',
  tests: ['test/bce_sigmoid.test.ts', 'test/gaussian_nll.test.ts', 'test/mwg_log_weight.test.ts'],
  mutants: [
    {
      name: 'the first padding column counted as live (< D -> <= D)',
      edits: [[LIB, 'vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(D)', 'vec4<u32>(0u, 1u, 2u, 3u) <= vec4<u32>(D)']],
    },
    {
      name: 'column offsets 1..4 instead of 0..3 (the mask one column early)',
      edits: [[LIB, 'vec4<u32>(4u * c) + vec4<u32>(0u, 1u, 2u, 3u)', 'vec4<u32>(4u * c) + vec4<u32>(1u, 2u, 3u, 4u)']],
    },
  ],
};
export default family;
