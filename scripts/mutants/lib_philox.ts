// The shared counter-based generator: shaders/lib/philox.wgsl (included by sample_eps, mwg_accept
// and mwg_table) and its reference src/ref/sample_eps.ts (mwg_table's reference writes its own
// Box-Muller line, edited with it). Independent checks: the Random123 known-answer vectors, KS
// tests against exact CDFs (sample_eps.test.ts), the table chain's draws against their
// distributions (mwg_table_definition.test.ts).
import type { Family } from './types.ts';

const LIB = 'shaders/lib/philox.wgsl', REF = 'src/ref/sample_eps.ts', TABLE_REF = 'src/ref/mwg_table.ts';

const family: Family = {
  kernel: 'lib/philox',
  tests: ['test/sample_eps.test.ts', 'test/mwg_table_definition.test.ts'],
  mutants: [
    {
      name: 'Philox round constant W0 off by one',
      edits: [
        [LIB, 'k += vec2<u32>(0x9E3779B9u, 0xBB67AE85u);', 'k += vec2<u32>(0x9E3779BAu, 0xBB67AE85u);'],
        [REF, 'W0 = 0x9e3779b9,', 'W0 = 0x9e3779ba,'],
      ],
    },
    {
      name: 'mulhilo: the carry out of the middle partial products dropped',
      edits: [
        [LIB, 'let hi = p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);', 'let hi = p11 + (p01 >> 16u) + (p10 >> 16u);'],
        [REF, 'return (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;', 'return (p11 + (p01 >>> 16) + (p10 >>> 16)) >>> 0;'],
      ],
    },
    {
      name: 'uniform01 from 22 bits: draws only in (0, 1/2)',
      edits: [
        [LIB, 'return (f32(x >> 9u) + 0.5) * (1.0 / 8388608.0);', 'return (f32(x >> 10u) + 0.5) * (1.0 / 8388608.0);'],
        [REF, '((x >>> 9) + 0.5) / 8388608;', '((x >>> 10) + 0.5) / 8388608;'],
      ],
    },
    {
      name: 'one-normal Box-Muller radius sqrt(-2 log u) -> sqrt(-log u)',
      edits: [
        [LIB, 'return sqrt(-2.0 * log(uniform01(radius))) * cos(angle(theta));', 'return sqrt(-log(uniform01(radius))) * cos(angle(theta));'],
        [REF, 'const n = Math.sqrt(-2 * Math.log(uniform01(r[0]))) * Math.cos(angle(r[1]));', 'const n = Math.sqrt(-Math.log(uniform01(r[0]))) * Math.cos(angle(r[1]));'],
        [TABLE_REF, 'const n = Math.sqrt(-2 * Math.log(u0)) * Math.cos(', 'const n = Math.sqrt(-Math.log(u0)) * Math.cos('],
      ],
    },
  ],
};
export default family;
