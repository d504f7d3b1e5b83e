// The shared workgroup sum: shaders/lib/workgroup_sum.wgsl (included by mwg_log_weight).
// The reference sums rows with a plain loop, so each mutant edits the WGSL only
// and the kernel-vs-reference row losses are independent checks of it.
import type { Family } from './types.ts';

const LIB = 'shaders/lib/workgroup_sum.wgsl';

const family: Family = {
  kernel: 'lib/workgroup_sum',
  tests: ['test/mwg_log_weight.test.ts'],
  mutants: [
    {
      name: 'tree starts at stride 16: invocations 32..63 never added',
      edits: [[LIB, 'for (var stride = 32u; stride > 0u; stride >>= 1u) {', 'for (var stride = 16u; stride > 0u; stride >>= 1u) {']],
    },
    {
      name: 'tree overwrites instead of adding (partial[lid] = partial[lid + stride])',
      edits: [[LIB, 'if (lid < stride) { partial[lid] += partial[lid + stride]; }', 'if (lid < stride) { partial[lid] = partial[lid + stride]; }']],
    },
  ],
};
export default family;
