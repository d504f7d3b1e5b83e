// Likelihood bounds, src/eval/bounds.ts (the CPU side: log-sum-exp of the importance weights, the
// ELBO mean and the delta-method standard error). Independent check: the true -log p(x) of small
// models by quadrature (bounds.test.ts) and of a linear-Gaussian VAE in closed form (bounds_linear.test.ts).
import type { Family } from './types.ts';

const B = 'src/eval/bounds.ts';

const family: Family = {
  kernel: 'bounds (IW / ELBO)',
  tests: ['test/bounds_linear.test.ts', 'test/bounds.test.ts'],
  mutants: [
    {
      name: 'IW: log of the sum of weights instead of their mean (1/K dropped)',
      edits: [[B, 'iw[start + m] = -(max + Math.log(sum / K));', 'iw[start + m] = -(max + Math.log(sum));']],
    },
    {
      name: 'the KL term dropped from each draw\'s loss',
      edits: [[B, 'const loss = v[2 * k * batch + m] + v[(2 * k + 1) * batch + m];', 'const loss = v[2 * k * batch + m];']],
    },
    {
      name: 'delta-method SE without the 1/sqrt(K)',
      edits: [[B, 'iwSe[start + m] = Math.sqrt(Math.max(sum2 / K - wm * wm, 0) / K) / wm;', 'iwSe[start + m] = Math.sqrt(Math.max(sum2 / K - wm * wm, 0)) / wm;']],
    },
    {
      name: 'last point of each batch left out (off by one)',
      edits: [[B, 'for (let m = 0; m < rows; m++) {', 'for (let m = 0; m < rows - 1; m++) {']],
    },
  ],
};
export default family;
