// The CPU's f32 peak, for the bench's share-of-peak figures on a software adapter (whose "GPU" is
// this CPU). Computed from /proc/cpuinfo, never measured:
//   peak = cores x GHz x FMA units x f32 lanes x 2 (an FMA is two FLOPs)
// - lanes: 16 with avx512f, 8 with avx2, 4 otherwise (SSE);
// - FMA units: 2 with the fma flag, except AMD family 17h models below 30h (Zen 1 / Zen+), whose two
//   128-bit FMA pipes split each 256-bit FMA (counted as 1 unit of 8 lanes); without fma, 1 (a
//   multiply and an add pipe, still 2 FLOPs per lane per cycle);
// - cores: the logical CPUs the OS lists (SMT siblings share the FMA units: then this overstates);
// - GHz: the mean of the current "cpu MHz" over every CPU listed (one CPU's clock may be parked
//   low or boosted; turbo and throttling are not modelled).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface CpuPeak {
  gflops: number;
  formula: string;
}

/** The peak from the text of /proc/cpuinfo and the number of logical CPUs; undefined if unknown. */
export function cpuPeakFrom(cpuinfo: string, cores: number): CpuPeak | undefined {
  const field = (name: string) => cpuinfo.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1]?.trim();
  const clocks = [...cpuinfo.matchAll(/^cpu MHz\s*:\s*(.*)$/gm)].map((m) => Number(m[1]));
  const mhz = clocks.length > 0 && clocks.every((c) => c > 0) ? clocks.reduce((a, b) => a + b, 0) / clocks.length : NaN;
  const flags = new Set((field('flags') ?? '').split(/\s+/));
  if (!(mhz > 0) || cores < 1 || flags.size <= 1) return undefined;
  const lanes = flags.has('avx512f') ? 16 : flags.has('avx2') ? 8 : 4;
  const amd = field('vendor_id') === 'AuthenticAMD', family = Number(field('cpu family')), model = Number(field('model'));
  const zen1 = amd && family === 0x17 && model < 0x30;
  const units = !flags.has('fma') ? 1 : zen1 && lanes === 8 ? 1 : 2;
  const ghz = mhz / 1000;
  const gflops = cores * ghz * units * lanes * 2;
  const why = zen1 ? ' (Zen 1: 256-bit FMAs split)' : '';
  return { gflops, formula: `${cores} cores x ${ghz.toFixed(2)} GHz x ${units} FMA unit${units === 1 ? '' : 's'}${why} x ${lanes} f32 lanes x 2 = ${gflops.toFixed(0)} GFLOP/s` };
}

export function cpuPeak(): CpuPeak | undefined {
  try {
    return cpuPeakFrom(readFileSync('/proc/cpuinfo', 'utf8'), cpus().length);
  } catch {
    return undefined; // not Linux: the bench prints no share of peak
  }
}
