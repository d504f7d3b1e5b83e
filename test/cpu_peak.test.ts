// The CPU's f32 peak the bench divides our GEMM GFLOP/s by (bench/cpu_peak.ts), from cpuinfo
// texts typed here: lanes from the flags, the Zen 1 halving, the core count and mean clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuPeak } from '../bench/cpu_peak.ts';

const proc = (i: number, o: { vendor?: string; family?: number; model?: number; mhz?: string; flags: string }) =>
  [`processor\t: ${i}`, `vendor_id\t: ${o.vendor ?? 'GenuineIntel'}`, `cpu family\t: ${o.family ?? 6}`, `model\t\t: ${o.model ?? 85}`, 'model name\t: typed in a test', ...(o.mhz ? [`cpu MHz\t\t: ${o.mhz}`] : []), `flags\t\t: ${o.flags}`].join('\n');
const info = (n: number, o: Parameters<typeof proc>[1]) => Array.from({ length: n }, (_, i) => proc(i, o)).join('\n\n') + '\n';

test('avx512f: 16 lanes x 2 FMA units x 2 flops x cores x GHz', () => {
  const p = cpuPeak(info(4, { mhz: '2000.000', flags: 'fpu sse2 avx avx2 fma avx512f' }))!;
  assert.equal(p.lanes, 16);
  assert.equal(p.cores, 4);
  assert.equal(p.gflops, 4 * 2 * 16 * 2 * 2);
  assert.match(p.formula, /4 cores x 2\.00 GHz x 16 f32 lanes \(avx512f\) x 2 FMA units x 2 flops per FMA = 512 GFLOP\/s/);
});

test('avx2 + fma: 8 lanes; the clock is the mean of the processors\'', () => {
  const text = [proc(0, { mhz: '3000.0', flags: 'avx2 fma' }), proc(1, { mhz: '2000.0', flags: 'avx2 fma' })].join('\n\n');
  const p = cpuPeak(text)!;
  assert.equal(p.lanes, 8);
  assert.equal(p.gflops, 2 * 2.5 * 8 * 4);
  assert.equal(p.factor, 1);
});

test('Zen 1 (AMD family 0x17, model < 0x30) halves the peak; Zen 2 and Zen 3 do not', () => {
  const zen1 = cpuPeak(info(2, { vendor: 'AuthenticAMD', family: 23, model: 1, mhz: '2500', flags: 'avx2 fma' }))!;
  assert.equal(zen1.factor, 0.5);
  assert.equal(zen1.gflops, 2 * 2.5 * 8 * 4 * 0.5);
  assert.match(zen1.formula, /Zen 1/);
  assert.equal(cpuPeak(info(2, { vendor: 'AuthenticAMD', family: 23, model: 0x31, mhz: '2500', flags: 'avx2 fma' }))!.factor, 1);
  assert.equal(cpuPeak(info(2, { vendor: 'AuthenticAMD', family: 25, model: 17, mhz: '2500', flags: 'avx2 fma' }))!.factor, 1);
});

test('avx2 without fma, or neither: 4 lanes; no clock or no processor: no peak', () => {
  assert.equal(cpuPeak(info(1, { mhz: '1000', flags: 'sse4_2 avx2' }))!.lanes, 4);
  assert.equal(cpuPeak(info(1, { flags: 'avx2 fma' })), undefined);
  assert.equal(cpuPeak(''), undefined);
});
