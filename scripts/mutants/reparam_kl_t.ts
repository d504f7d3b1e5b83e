// Student-t KL (iid and multivariate priors): shaders/reparam_kl_t.wgsl and src/ref/reparam_kl.ts.
// Caught by the log-density oracle (kl_oracle) and the finite-difference gradient checks.
import type { Family } from './types.ts';

const KERNEL = 'shaders/reparam_kl_t.wgsl', REF = 'src/ref/reparam_kl.ts';

const family: Family = {
  kernel: 'reparam_kl_t',
  tests: ['test/kl_oracle.test.ts', 'test/ref_vae.test.ts', 'test/reparam_kl.test.ts', 'test/vae_gradients.test.ts'],
  mutants: [
    {
      name: 'iid exponent (nu+1)/2 -> nu/2',
      edits: [
        [KERNEL, 'let c = 0.5 * (nu + 1.0);', 'let c = 0.5 * nu;'],
        [KERNEL, 'r = (nu + 1.0) * zj / (nu + zj * zj);', 'r = nu * zj / (nu + zj * zj);'],
        [REF, 'const nu = prior.nu, a = (nu + 1) / 2;', 'const nu = prior.nu, a = nu / 2;'],
        [REF, ': ((nu + 1) * zz) / (nu + zz * zz);', ': (nu * zz) / (nu + zz * zz);'],
      ],
    },
    {
      name: 'iid exponent (nu+1)/2 -> (nu+L)/2',
      edits: [
        [KERNEL, 'let c = 0.5 * (nu + 1.0);', 'let c = 0.5 * (nu + f32(L));'],
        [KERNEL, 'r = (nu + 1.0) * zj / (nu + zj * zj);', 'r = (nu + f32(L)) * zj / (nu + zj * zj);'],
        [REF, 'const nu = prior.nu, a = (nu + 1) / 2;', 'const nu = prior.nu, a = (nu + L) / 2;'],
        [REF, ': ((nu + 1) * zz) / (nu + zz * zz);', ': ((nu + L) * zz) / (nu + zz * zz);'],
      ],
    },
    {
      name: 'multivariate exponent (nu+L)/2 -> (nu+1)/2 (the bug this replaced)',
      edits: [
        [KERNEL, 'let c = 0.5 * (nu + f32(L));', 'let c = 0.5 * (nu + 1.0);'],
        [KERNEL, 'r = (nu + f32(L)) * zj / (nu + sz);', 'r = (nu + 1.0) * zj / (nu + sz);'],
        [REF, 'const nu = prior.nu, a = (nu + L) / 2;', 'const nu = prior.nu, a = (nu + 1) / 2;'],
        [REF, '((nu + L) * zz) / (nu + sz)', '((nu + 1) * zz) / (nu + sz)'],
      ],
    },
    {
      name: 'drop the -logvar/2 term (forward and its -1/2 in the backward)',
      edits: [
        [KERNEL, 's += -0.5 * logvar;', ''],
        [KERNEL, '0.5 * sigma * (g * e + k * r * e) - 0.5 * k;', '0.5 * sigma * (g * e + k * r * e);'],
        [REF, 'kl += -lv / 2 - a * Math.log1p', 'kl += -a * Math.log1p'],
        [REF, 'kl += -lv / 2;', ''],
        [REF, 'dKlv = -0.5 + (r * e * sigma) / 2;', 'dKlv = (r * e * sigma) / 2;'],
      ],
    },
    {
      name: 'sign flip in dKL/dmu',
      edits: [
        [KERNEL, 'dh[m * params.ldH + j] = g + k * r;', 'dh[m * params.ldH + j] = g - k * r;'],
        [REF, 'dKmu = r;', 'dKmu = -r;'],
      ],
    },
  ],
};
export default family;
