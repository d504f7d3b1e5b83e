// Batch normalisation: shaders/batchnorm.wgsl and src/ref/batchnorm.ts. Independent checks: the
// definition on a closed-form input with finite-difference gradients (batchnorm_definition.test.ts),
// PyTorch's running update typed out (batchnorm.test.ts), the CNN's gradients by finite differences.
import type { Family } from './types.ts';

const K = 'shaders/batchnorm.wgsl', REF = 'src/ref/batchnorm.ts';

const family: Family = {
  kernel: 'batchnorm',
  tests: ['test/batchnorm_definition.test.ts', 'test/batchnorm.test.ts', 'test/conv_gradients.test.ts'],
  mutants: [
    {
      name: 'training normalisation by the unbiased variance ss/(M-1), backward changed to match (issue row 10)',
      edits: [
        [K, 'store_stats(c, mean, m2 / M);', 'store_stats(c, mean, m2 / (M - 1.0));'],
        [K, 'xhat * dGamma[c] / M);', 'xhat * dGamma[c] / (M - 1.0));'],
        [REF, 'variance[c] = ss / count;', 'variance[c] = ss / (count - 1);'],
        [REF, 'xhat * sgx / count);', 'xhat * sgx / (count - 1));'],
        // the running update is stated on the biased variance; keep the running variance unchanged
        [REF, 'const unbiased = count / (count - 1);', 'const unbiased = 1;'],
      ],
    },
    {
      name: 'running variance from the biased batch variance (m2/M instead of m2/(M-1))',
      edits: [
        [K, 'm * m2 / (M - 1.0)) * k;', 'm * m2 / M) * k;'],
        [REF, 'const unbiased = count / (count - 1);', 'const unbiased = 1;'],
      ],
    },
    {
      name: 'momentum on the wrong side: running = m old + (1 - m) batch',
      edits: [
        [K, 'runMean[c] = ((1.0 - m) * runMean[c] + m * mean) * k;', 'runMean[c] = (m * runMean[c] + (1.0 - m) * mean) * k;'],
        [K, 'runVar[c] = ((1.0 - m) * runVar[c] + m * m2 / (M - 1.0)) * k;', 'runVar[c] = (m * runVar[c] + (1.0 - m) * m2 / (M - 1.0)) * k;'],
        [REF, '(1 - momentum) * r + momentum * mean[c]', 'momentum * r + (1 - momentum) * mean[c]'],
        [REF, '(1 - momentum) * r + momentum * variance[c] * unbiased', 'momentum * r + (1 - momentum) * variance[c] * unbiased'],
      ],
    },
    {
      name: 'backward: the xhat * mean(g xhat) term dropped',
      edits: [
        [K, '(grad_z(i, c) - dBeta[c] / M - xhat * dGamma[c] / M);', '(grad_z(i, c) - dBeta[c] / M);'],
        [REF, '(dy[idx(i)] - sg / count - xhat * sgx / count);', '(dy[idx(i)] - sg / count);'],
      ],
    },
    {
      name: 'eps dropped from the training normalisation (evaluation keeps it)',
      edits: [
        [K, 'store_stats(c, mean, m2 / M);', 'store_stats(c, mean, m2 / M - geo.eps);'],
        [REF, 'invstd[c] = 1 / Math.sqrt(variance[c] + eps);', 'invstd[c] = 1 / Math.sqrt(variance[c]);'],
      ],
    },
  ],
};
export default family;
