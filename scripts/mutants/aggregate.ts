// Statistics of the seed comparisons, src/eval/aggregate.ts (CPU code: no reference to change
// along with it). Independent checks: hand computation, the t table and scipy's Welch test values
// typed into aggregate.test.ts, the false-call rate on identical models.
import type { Family } from './types.ts';

const A = 'src/eval/aggregate.ts';

const family: Family = {
  kernel: 'aggregate (stats)',
  tests: ['test/aggregate.test.ts'],
  mutants: [
    {
      name: 'summarize: population sd (divide by n) instead of the sample sd (n - 1)',
      edits: [[A, 'values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)', 'values.reduce((a, v) => a + (v - mean) ** 2, 0) / n']],
    },
    {
      name: 'Welch-Satterthwaite df: n instead of n - 1 in the denominator',
      edits: [[A, 'va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1)', 'va ** 2 / a.n + vb ** 2 / b.n']],
    },
    {
      name: 'one-sided p-value (the factor 2 dropped)',
      edits: [[A, 'p: 2 * studentTCdf(-Math.abs(t), df)', 'p: studentTCdf(-Math.abs(t), df)']],
    },
    {
      name: 'pooled-variance df n_a + n_b - 2 instead of Welch-Satterthwaite',
      edits: [[A, 'const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));', 'const df = a.n + b.n - 2;']],
    },
    {
      name: 'standard error of the difference: sd/sqrt(n) summed instead of variances (dropped square)',
      edits: [[A, 'const t = diff / Math.sqrt(va + vb);', 'const t = diff / (Math.sqrt(va) + Math.sqrt(vb));']],
    },
  ],
};
export default family;
