// The CPU's single-precision peak, from /proc/cpuinfo, so the bench can say what share of it our
// kernels reach on a software adapter (lavapipe, SwiftShader run the WGSL on these cores).
// peak GFLOP/s = cores x GHz x f32 lanes per vector x 2 FMA units x 2 flops per FMA, where lanes
// are 16 with avx512f, 8 with avx2 + fma, 4 otherwise (SSE, no FMA: counted as 1 mul + 1 add
// unit, the same 2 x 2). Zen 1 (AMD family 0x17, model < 0x30) executes a 256-bit FMA as two
// 128-bit halves: its peak is half. The cores are the logical processors listed (SMT siblings
// share FMA units, so on an SMT machine this overstates the peak; the formula says so).
import { readFileSync } from 'node:fs';

export interface CpuPeak {
  gflops: number;
  cores: number;
  ghz: number;
  lanes: number;
  /** 0.5 on Zen 1, else 1 */
  factor: number;
  /** the formula with this machine's numbers, for the report */
  formula: string;
}

/** The peak from the text of /proc/cpuinfo; undefined when it names no processor or no clock. */
export function cpuPeak(cpuinfo: string): CpuPeak | undefined {
  const blocks = cpuinfo.split(/\n\s*\n/).filter((b) => /^processor\s*:/m.test(b));
  if (blocks.length === 0) return undefined;
  const field = (name: string): string | undefined => blocks[0].match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1].trim();
  const mhz = blocks.map((b) => Number(b.match(/^cpu MHz\s*:\s*([\d.]+)/m)?.[1])).filter((v) => Number.isFinite(v) && v > 0);
  if (mhz.length === 0) return undefined;
  const ghz = mhz.reduce((a, b) => a + b, 0) / mhz.length / 1000;
  const flags = new Set((field('flags') ?? '').split(/\s+/));
  const lanes = flags.has('avx512f') ? 16 : flags.has('avx2') && flags.has('fma') ? 8 : 4;
  const family = Number(field('cpu family')), model = Number(field('model'));
  const zen1 = field('vendor_id') === 'AuthenticAMD' && family === 0x17 && model < 0x30;
  const factor = zen1 && lanes === 8 ? 0.5 : 1;
  const cores = blocks.length;
  const gflops = cores * ghz * lanes * 2 * 2 * factor;
  const formula = `${cores} cores x ${ghz.toFixed(2)} GHz x ${lanes} f32 lanes (${lanes === 16 ? 'avx512f' : lanes === 8 ? 'avx2+fma' : 'no avx2+fma'}) x 2 FMA units x 2 flops per FMA${zen1 ? ' x 0.5 (Zen 1 splits 256-bit FMAs)' : ''} = ${gflops.toFixed(0)} GFLOP/s (logical cores; SMT siblings share FMA units)`;
  return { gflops, cores, ghz, lanes, factor, formula };
}

/** This machine's peak, or undefined where /proc/cpuinfo is missing (not Linux) or says too little. */
export function machineCpuPeak(): CpuPeak | undefined {
  try {
    return cpuPeak(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return undefined;
  }
}
