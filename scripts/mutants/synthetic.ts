// The synthetic 2-D data sets, src/data/synthetic.ts (CPU code, no reference): each mutant is a
// wrong curve or mixture formula. Independent check: the sets' moments against the deck's
// formulas typed out in synthetic.test.ts (issue row 9: they used to come from these very functions).
import type { Family } from './types.ts';

const S = 'src/data/synthetic.ts';

const family: Family = {
  kernel: 'synthetic data',
  tests: ['test/synthetic.test.ts'],
  mutants: [
    {
      name: 'figure 8: u = 0.6 + 1.6 Phi(Z) (wrong constant)',
      edits: [[S, 'const u = 0.6 + 1.8 * normalCdf(z)', 'const u = 0.6 + 1.6 * normalCdf(z)']],
    },
    {
      name: 'figure 8: denominator sin u + 1 instead of sin^2 u + 1',
      edits: [[S, 'd = s * s + 1;', 'd = s + 1;']],
    },
    {
      name: 'blobs: logistic slope pi/4 instead of pi/2',
      edits: [[S, 'const u = (2 * Math.PI) / (1 + Math.exp((-Math.PI * z) / 2));', 'const u = (2 * Math.PI) / (1 + Math.exp((-Math.PI * z) / 4));']],
    },
    {
      name: 'mixture: second component offset -3 sqrt3/2 -> +3 sqrt3/2 (sign)',
      edits: [[S, 'return [a - S3, b - S3 / 2]; },\n  (y1, y2) => { const [a, b] = rot(Math.PI / 3', 'return [a - S3, b + S3 / 2]; },\n  (y1, y2) => { const [a, b] = rot(Math.PI / 3']],
    },
    {
      name: 'mixture: the third component rotated by 2pi/3 like the second',
      edits: [[S, '(y1, y2) => { const [a, b] = rot(Math.PI / 3, y1, y2);', '(y1, y2) => { const [a, b] = rot((2 * Math.PI) / 3, y1, y2);']],
    },
  ],
};
export default family;
