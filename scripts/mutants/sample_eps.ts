// Noise sampler: shaders/sample_eps.wgsl and src/ref/sample_eps.ts. Independent checks: Philox
// known-answer vectors, moments and KS tests against exact CDFs (sample_eps.test.ts). The Philox
// generator itself is shaders/lib/philox.wgsl's (its own family, lib_philox.ts).
import type { Family } from './types.ts';

const K = 'shaders/sample_eps.wgsl', REF = 'src/ref/sample_eps.ts';

const family: Family = {
  kernel: 'sample_eps',
  tests: ['test/sample_eps.test.ts'],
  mutants: [
    {
      name: 'Box-Muller radius sqrt(-2 log u) -> sqrt(-log u)',
      edits: [
        [K, 'let r0 = sqrt(-2.0 * log(uniform01(r.x)));', 'let r0 = sqrt(-log(uniform01(r.x)));'],
        [K, 'let r1 = sqrt(-2.0 * log(uniform01(r.z)));', 'let r1 = sqrt(-log(uniform01(r.z)));'],
        [REF, 'const r0 = Math.sqrt(-2 * Math.log(uniform01(r[0])));', 'const r0 = Math.sqrt(-Math.log(uniform01(r[0])));'],
        [REF, 'const r1 = Math.sqrt(-2 * Math.log(uniform01(r[2])));', 'const r1 = Math.sqrt(-Math.log(uniform01(r[2])));'],
      ],
    },
    {
      name: 't scale uses Gamma(nu, 1) instead of Gamma(nu/2, 1) (wrong shape)',
      edits: [
        [K, 'let halfNu = 0.5 * params.nu;', 'let halfNu = params.nu;'],
        [REF, 'const halfNu = a.nu / 2;', 'const halfNu = a.nu;'],
      ],
    },
    {
      name: 'Marsaglia-Tsang d = alpha - 1/3 -> alpha - 1/2',
      edits: [
        [K, 'let d = a - 1.0 / 3.0;', 'let d = a - 1.0 / 2.0;'],
        [REF, 'const d = boosted - 1 / 3,', 'const d = boosted - 1 / 2,'],
      ],
    },
    {
      name: 'alpha < 1 boost dropped (U^(1/alpha) factor)',
      edits: [
        [K, 'if (alpha < 1.0) { return logG + boost; }', 'if (alpha < 1.0) { return logG; }'],
        [REF, '(alpha < 1 ? Math.log(uniform01(r[3])) / alpha : 0)', '0'],
      ],
    },
  ],
};
export default family;
