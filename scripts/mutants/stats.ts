// Special functions behind every p-value and KS test, src/stats/special.ts (production CPU code the
// tests share), and the KS helpers of src/ref/stats.ts (the reference itself). Independent checks:
// published values and closed forms in stats.test.ts.
import type { Family } from './types.ts';

const SPECIAL = 'src/stats/special.ts', S = 'src/ref/stats.ts';

const family: Family = {
  kernel: 'stats (special functions)',
  tests: ['test/stats.test.ts'],
  mutants: [
    {
      name: 'studentTCdf: Beta(nu/2, 1/2) -> Beta(nu/2, 1) (wrong constant)',
      edits: [[SPECIAL, 'const tail = 0.5 * incompleteBeta(nu / (nu + t2), t2 / (nu + t2), nu / 2, 0.5);', 'const tail = 0.5 * incompleteBeta(nu / (nu + t2), t2 / (nu + t2), nu / 2, 1);']],
    },
    {
      name: 'normalCdf: erf argument x instead of x / sqrt 2',
      edits: [[SPECIAL, 'const z = Math.abs(x) / Math.SQRT2;', 'const z = Math.abs(x);']],
    },
    {
      name: 'KS statistic: one side of each step only (off by one in the empirical CDF)',
      edits: [[S, 'd = Math.max(d, (i + 1) / n - f, f - i / n);', 'd = Math.max(d, (i + 1) / n - f);']],
    },
    {
      name: 'ksCriticalValue: c(alpha) = sqrt(-ln(alpha)/2) (alpha/2 -> alpha)',
      edits: [[S, 'return Math.sqrt(-0.5 * Math.log(alpha / 2)) / Math.sqrt(n);', 'return Math.sqrt(-0.5 * Math.log(alpha)) / Math.sqrt(n);']],
    },
  ],
};
export default family;
