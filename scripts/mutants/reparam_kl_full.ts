// Full-covariance Gaussian posterior: shaders/reparam_kl_full.wgsl and src/ref/reparam_kl_full.ts.
// Independent checks: the oracle log N(z; mu, S S^T) - log N(z; 0, I), the Monte-Carlo mean and
// covariance of z (reparam_kl_full.test.ts), finite differences of the reference's forward.
import type { Family } from './types.ts';

const K = 'shaders/reparam_kl_full.wgsl', REF = 'src/ref/reparam_kl_full.ts';

const family: Family = {
  kernel: 'reparam_kl_full',
  tests: ['test/reparam_kl_full.test.ts', 'test/covariance_study.test.ts'],
  mutants: [
    {
      name: 'closed-form KL: the off-diagonal sum of Lp^2 dropped (forward and backward)',
      edits: [
        [K, 's += 0.5 * (exp(logvar) + off + mu * mu - 1.0 - logvar);', 's += 0.5 * (exp(logvar) + mu * mu - 1.0 - logvar);'],
        [K, 'var klL = k * lp(m, i, j);', 'var klL = 0.0;'],
        [REF, '0.5 * (Math.exp(lv) + off + mu * mu - 1 - lv)', '0.5 * (Math.exp(lv) + mu * mu - 1 - lv)'],
        [REF, 'g * eps[m * L + j] + closed * scale * h[o + lpIndex(L, i, j)];', 'g * eps[m * L + j];'],
      ],
    },
    {
      name: 'z uses the transposed factor: Lp(i, j) eps_i instead of eps_j',
      edits: [
        [K, 'for (var j = 0u; j < i; j++) { zi += lp(m, i, j) * eps[m * L + j]; }', 'for (var j = 0u; j < i; j++) { zi += lp(m, i, j) * eps[m * L + i]; }'],
        [K, 'g * eps[m * L + j] + klL;', 'g * eps[m * L + i] + klL;'],
        [REF, 'zi += v * eps[m * L + j];', 'zi += v * eps[m * L + i];'],
        [REF, 'dh[o + lpIndex(L, i, j)] = g * eps[m * L + j]', 'dh[o + lpIndex(L, i, j)] = g * eps[m * L + i]'],
      ],
    },
    {
      name: 'one-sample KL: the log-determinant term -logvar/2 dropped (forward and backward)',
      edits: [
        [K, 's += 0.5 * (zi * zi - e * e - logvar);', 's += 0.5 * (zi * zi - e * e);'],
        [K, 'dh[m * params.ldH + L + i] = 0.5 * sigma * (g * e + klSigma) - 0.5 * k;', 'dh[m * params.ldH + L + i] = 0.5 * sigma * (g * e + klSigma) - 0.5 * k * f32(1u - MC);'],
        [REF, "0.5 * (zi * zi - e * e - lv) :", '0.5 * (zi * zi - e * e) :'],
        [REF, '0.5 * sigma * (g * e + closed * scale * sigma) - 0.5 * scale;', '0.5 * sigma * (g * e + closed * scale * sigma) - 0.5 * scale * closed;'],
      ],
    },
    {
      name: 'closed-form KL: constant -1 per dimension -> -1 once per row (off by L-1)',
      edits: [
        [K, 'kl[m] = s;', 'kl[m] = s + 0.5 * f32(L - 1u) * f32(1u - MC);'],
        [REF, 'klRows[m] = s;', "klRows[m] = s + (kl === 'closed' ? 0.5 * (L - 1) : 0);"],
      ],
    },
  ],
};
export default family;
