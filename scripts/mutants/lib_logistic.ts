// The shared log1p, softplus and sigmoid: shaders/lib/logistic.wgsl (included by reparam_kl_t,
// mwg_log_weight, mwg_table, mwg_accept, bce_sigmoid, table_nll). The float64 references do not
// share this code (they use Math.log1p and their own sigmoid), so each mutant edits the WGSL only
// and the kernel-vs-reference tests are independent checks of it.
import type { Family } from './types.ts';

const LIB = 'shaders/lib/logistic.wgsl';

const family: Family = {
  kernel: 'lib/logistic',
  tests: ['test/reparam_kl.test.ts', 'test/mwg_log_weight.test.ts', 'test/bce_sigmoid.test.ts'],
  mutants: [
    {
      name: 'log1p series: the s^3/3 coefficient 1/3 -> 1/4',
      edits: [[LIB, 'return 2.0 * s * (1.0 + s2 * (1.0 / 3.0 +', 'return 2.0 * s * (1.0 + s2 * (1.0 / 4.0 +']],
    },
    {
      name: 'log1p: atanh argument s = u / (2 + u) -> u / 2',
      edits: [[LIB, 'let s = u / (2.0 + u);', 'let s = u / 2.0;']],
    },
    {
      name: 'softplus: max(l, 0) -> max(-l, 0) (softplus(-l))',
      edits: [[LIB, 'fn softplus(l: f32) -> f32 { return max(l, 0.0) + log1p(exp(-abs(l))); }', 'fn softplus(l: f32) -> f32 { return max(-l, 0.0) + log1p(exp(-abs(l))); }']],
    },
    {
      name: 'sigmoid: 1 / (1 + e) -> 1 / (1 + 2e) on the l >= 0 branch',
      edits: [[LIB, 'return select(e / (1.0 + e), 1.0 / (1.0 + e), l >= 0.0);', 'return select(e / (1.0 + e), 1.0 / (1.0 + 2.0 * e), l >= 0.0);']],
    },
  ],
};
export default family;
