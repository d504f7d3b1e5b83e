// CPU reference of shaders/sample_eps.wgsl: the same Philox-4x32-10 counters and the same
// transforms (Box-Muller, Marsaglia-Tsang with the alpha < 1 boost), computed in float64.
// Philox output must match the GPU bit for bit; the floats to within f32 rounding.

const M0 = 0xd2511f53, M1 = 0xcd9e8d57, W0 = 0x9e3779b9, W1 = 0xbb67ae85;

function mulhi(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

export function philox4x32(counter: readonly number[], key: readonly number[]): [number, number, number, number] {
  let [c0, c1, c2, c3] = counter.map((v) => v >>> 0);
  let [k0, k1] = key.map((v) => v >>> 0);
  for (let i = 0; i < 10; i++) {
    const hi0 = mulhi(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return [c0, c1, c2, c3];
}

/** Strictly inside (0, 1) and exact in f32 (top 23 bits, centred), as the kernels compute it. */
export const uniform01 = (x: number): number => ((x >>> 9) + 0.5) / 8388608;

/** Box-Muller angle in (-pi, pi), where WGSL's sin/cos accuracy bound holds. */
export const angle = (x: number): number => 2 * Math.PI * (uniform01(x) - 0.5);

export function normals4(r: readonly number[]): number[] {
  const r0 = Math.sqrt(-2 * Math.log(uniform01(r[0])));
  const r1 = Math.sqrt(-2 * Math.log(uniform01(r[2])));
  const t0 = angle(r[1]);
  const t1 = angle(r[3]);
  return [r0 * Math.cos(t0), r0 * Math.sin(t0), r1 * Math.cos(t1), r1 * Math.sin(t1)];
}

export interface SamplerRefArgs {
  mode: 'normal' | 't' | 'multivariate-t';
  nu: number;
  seed: [number, number];
  step: number;
  M: number;
  L: number;
}

function logGamma(a: SamplerRefArgs, alpha: number, row: number, lane: number): number {
  const boosted = alpha < 1 ? alpha + 1 : alpha;
  const d = boosted - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (let attempt = 1; attempt <= 64; attempt++) {
    const r = philox4x32([row, a.step, lane, attempt], a.seed);
    const n = Math.sqrt(-2 * Math.log(uniform01(r[0]))) * Math.cos(angle(r[1]));
    const v1 = 1 + c * n;
    if (v1 <= 0) continue;
    const v = v1 * v1 * v1;
    if (Math.log(uniform01(r[2])) < 0.5 * n * n + d - d * v + d * Math.log(v)) {
      return Math.log(d * v) + (alpha < 1 ? Math.log(uniform01(r[3])) / alpha : 0);
    }
  }
  return Math.log(d);
}

/** eps (M*L) exactly as the GPU kernel defines it, in float64. */
export function sampleEpsRef(a: SamplerRefArgs): Float64Array {
  const out = new Float64Array(a.M * a.L);
  const halfNu = a.nu / 2;
  const scale = (lg: number) => Math.exp(-0.5 * (lg - Math.log(halfNu)));
  for (let row = 0; row < a.M; row++) {
    const shared = a.mode === 'multivariate-t' ? scale(logGamma(a, halfNu, row, 0)) : 1;
    for (let j4 = 0; j4 * 4 < a.L; j4++) {
      const n = normals4(philox4x32([row, a.step, j4, 0], a.seed));
      for (let i = 0; i < 4 && j4 * 4 + i < a.L; i++) {
        const j = j4 * 4 + i;
        let e = n[i];
        if (a.mode === 't') e *= scale(logGamma(a, halfNu, row, j + 1));
        if (a.mode === 'multivariate-t') e *= shared;
        out[row * a.L + j] = e;
      }
    }
  }
  return out;
}
