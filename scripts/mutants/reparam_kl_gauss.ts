// Diagonal Gaussian sampling + KL: shaders/reparam_kl_gauss.wgsl and the Gaussian branches of
// src/ref/reparam_kl.ts. Independent checks: the log-density oracle and quadrature (kl_oracle),
// finite differences through the model (vae_gradients).
import type { Family } from './types.ts';

const K = 'shaders/reparam_kl_gauss.wgsl', REF = 'src/ref/reparam_kl.ts';

const family: Family = {
  kernel: 'reparam_kl_gauss',
  tests: ['test/kl_oracle.test.ts', 'test/vae_gradients.test.ts', 'test/ref_vae.test.ts'],
  mutants: [
    {
      name: 'closed-form KL: the constant 1 dropped',
      edits: [
        [K, 's += 1.0 + logvar - mu * mu - exp(logvar);', 's += logvar - mu * mu - exp(logvar);'],
        [REF, '-0.5 * (1 + lv - mu * mu - Math.exp(lv))', '-0.5 * (lv - mu * mu - Math.exp(lv))'],
      ],
    },
    {
      name: 'closed-form KL: variance term exp(logvar) -> exp(logvar/2) (forward and backward)',
      edits: [
        [K, 's += 1.0 + logvar - mu * mu - exp(logvar);', 's += 1.0 + logvar - mu * mu - exp(0.5 * logvar);'],
        [K, 'k * 0.5 * (sigma * sigma - 1.0);', 'k * 0.5 * (0.5 * sigma - 1.0);'],
        [REF, '-0.5 * (1 + lv - mu * mu - Math.exp(lv))', '-0.5 * (1 + lv - mu * mu - Math.exp(lv / 2))'],
        [REF, 'dKlv = 0.5 * (Math.exp(lv) - 1);', 'dKlv = 0.5 * (0.5 * Math.exp(lv / 2) - 1);'],
      ],
    },
    {
      name: 'one-sample KL: the -eps^2 term dropped',
      edits: [
        [K, 's -= zj * zj - e * e - logvar;', 's -= zj * zj - logvar;'],
        [REF, '0.5 * (zz * zz - e * e - lv)', '0.5 * (zz * zz - lv)'],
      ],
    },
    {
      name: 'closed-form dKL/dmu sign flipped',
      edits: [
        [K, 'dh[m * params.ldH + j] = g + k * mu;', 'dh[m * params.ldH + j] = g - k * mu;'],
        [REF, 'dKmu = mu;', 'dKmu = -mu;'],
      ],
    },
    {
      name: 'one-sample dKL/dlogvar: the -1/2 (Jacobian) term dropped',
      edits: [
        [K, 'dh[m * params.ldH + L + j] = 0.5 * sigma * gz * e - 0.5 * k;', 'dh[m * params.ldH + L + j] = 0.5 * sigma * gz * e;'],
        [REF, 'dKlv = -0.5 + (z[k] * e * sigma) / 2;', 'dKlv = (z[k] * e * sigma) / 2;'],
      ],
    },
  ],
};
export default family;
