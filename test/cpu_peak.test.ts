// The CPU's f32 peak behind the bench's share-of-peak figures: flags, Zen 1's split FMAs, and
// nothing claimed from an unreadable cpuinfo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuPeakFrom } from '../bench/cpu_peak.ts';

const info = (vendor: string, family: number, model: number, flags: string, mhz = 2000) =>
  `processor\t: 0\nvendor_id\t: ${vendor}\ncpu family\t: ${family}\nmodel\t\t: ${model}\ncpu MHz\t\t: ${mhz}\nflags\t\t: fpu sse2 ${flags}\n`;

test('peak = cores x GHz x FMA units x lanes x 2, from the flags and the family', () => {
  assert.equal(cpuPeakFrom(info('AuthenticAMD', 25, 17, 'avx2 fma'), 2)!.gflops, 2 * 2 * 2 * 8 * 2);
  const zen1 = cpuPeakFrom(info('AuthenticAMD', 23, 1, 'avx2 fma'), 2)!;
  assert.equal(zen1.gflops, 2 * 2 * 1 * 8 * 2);
  assert.match(zen1.formula, /Zen 1/);
  assert.equal(cpuPeakFrom(info('AuthenticAMD', 23, 49, 'avx2 fma'), 1)!.gflops, 2 * 2 * 8 * 2); // Zen 2
  assert.equal(cpuPeakFrom(info('GenuineIntel', 6, 85, 'avx2 fma avx512f', 3000), 4)!.gflops, 4 * 3 * 2 * 16 * 2);
  assert.equal(cpuPeakFrom(info('GenuineIntel', 6, 23, 'sse4_1'), 1)!.gflops, 2 * 1 * 4 * 2);
  assert.match(cpuPeakFrom(info('GenuineIntel', 6, 85, 'avx2 fma'), 2)!.formula, /^2 cores x 2\.00 GHz x 2 FMA units x 8 f32 lanes x 2 = 128 GFLOP\/s$/);
  assert.equal(cpuPeakFrom('', 2), undefined);
  assert.equal(cpuPeakFrom(info('AuthenticAMD', 25, 17, 'avx2 fma', 0), 2), undefined);
});

test('GHz is the mean clock over every CPU listed; no clock listed leaves the peak unknown', () => {
  const two = `${info('GenuineIntel', 6, 85, 'avx2 fma', 3000)}\n${info('GenuineIntel', 6, 85, 'avx2 fma', 1000)}`;
  assert.equal(cpuPeakFrom(two, 2)!.gflops, 2 * 2 * 2 * 8 * 2);
  assert.equal(cpuPeakFrom(info('GenuineIntel', 6, 85, 'avx2 fma').replace(/^cpu MHz.*\n/m, ''), 2), undefined);
});
