// Image-quality metrics for the imputation protocol, accumulated in float64: mean squared error
// (everywhere or on the missing entries only), one global SSIM over a whole matrix, and the
// windowed SSIM of scikit-image's `structural_similarity` defaults. Pure TypeScript.
import { fail } from '../errors.ts';

type Floats = ArrayLike<number>;

function requirePair(what: string, a: Floats, b: Floats): void {
  if (a.length !== b.length) fail(`${what}: lengths differ (${a.length} vs ${b.length})`);
  if (a.length === 0) fail(`${what}: the inputs are empty`);
}

function requireRange(dataRange: number): void {
  if (!(Number.isFinite(dataRange) && dataRange > 0)) fail(`SSIM data range must be a finite number > 0, got ${dataRange}`);
}

/** Mean of (a - b)^2 over all entries. */
export function mse(a: Floats, b: Floats): number {
  requirePair('mse', a, b);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s / a.length;
}

/** Mean of (a - b)^2 over the entries where mask is 1 (at least one must be). */
export function mseWhere(a: Floats, b: Floats, mask: ArrayLike<number>): number {
  requirePair('mseWhere', a, b);
  if (mask.length !== a.length) fail(`mseWhere: mask length ${mask.length} differs from data length ${a.length}`);
  let s = 0;
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    if (mask[i] === 0) continue;
    const d = a[i] - b[i];
    s += d * d;
    count++;
  }
  if (count === 0) fail('mseWhere: the mask selects no entries');
  return s / count;
}

function ssimFormula(muA: number, muB: number, varA: number, varB: number, cov: number, c1: number, c2: number): number {
  return ((2 * muA * muB + c1) * (2 * cov + c2)) / ((muA * muA + muB * muB + c1) * (varA + varB + c2));
}

/** One SSIM over all entries: means, population variances and covariance of the whole matrix. */
export function globalSsim(a: Floats, b: Floats, dataRange = 1): number {
  requirePair('globalSsim', a, b);
  requireRange(dataRange);
  const n = a.length;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    sa += a[i];
    sb += b[i];
  }
  const muA = sa / n;
  const muB = sb / n;
  let vaa = 0;
  let vbb = 0;
  let vab = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - muA;
    const db = b[i] - muB;
    vaa += da * da;
    vbb += db * db;
    vab += da * db;
  }
  const c1 = (0.01 * dataRange) ** 2;
  const c2 = (0.03 * dataRange) ** 2;
  return ssimFormula(muA, muB, vaa / n, vbb / n, vab / n, c1, c2);
}

const WIN = 7;
const NP = WIN * WIN;
const COV_NORM = NP / (NP - 1);

/** SSIM of one rows x cols image at offset `off` in a and b (skimage defaults, valid windows). */
function windowedAt(a: Floats, b: Floats, off: number, rows: number, cols: number, c1: number, c2: number): number {
  let total = 0;
  for (let r0 = 0; r0 + WIN <= rows; r0++) {
    for (let q0 = 0; q0 + WIN <= cols; q0++) {
      let sx = 0;
      let sy = 0;
      let sxx = 0;
      let syy = 0;
      let sxy = 0;
      for (let r = r0; r < r0 + WIN; r++) {
        const row = off + r * cols;
        for (let q = q0; q < q0 + WIN; q++) {
          const x = a[row + q];
          const y = b[row + q];
          sx += x;
          sy += y;
          sxx += x * x;
          syy += y * y;
          sxy += x * y;
        }
      }
      // same formulation as skimage: filtered moments, then cov_norm * (E[xy] - E[x]E[y])
      const ux = sx / NP;
      const uy = sy / NP;
      const vx = COV_NORM * (sxx / NP - ux * ux);
      const vy = COV_NORM * (syy / NP - uy * uy);
      const vxy = COV_NORM * (sxy / NP - ux * uy);
      total += ssimFormula(ux, uy, vx, vy, vxy, c1, c2);
    }
  }
  return total / ((rows - WIN + 1) * (cols - WIN + 1));
}

function requireImage(rows: number, cols: number): void {
  if (!Number.isInteger(rows) || rows < WIN) fail(`windowed SSIM needs at least ${WIN} image rows, got ${rows}`);
  if (!Number.isInteger(cols) || cols < WIN) fail(`windowed SSIM needs at least ${WIN} image cols, got ${cols}`);
}

/**
 * scikit-image `structural_similarity(a, b, data_range=L)` for one 2-D float image: 7x7 uniform
 * window, sample covariance, K1 = 0.01, K2 = 0.03, mean of the SSIM map cropped by 3 pixels.
 */
export function windowedSsim(a: Floats, b: Floats, rows: number, cols: number, dataRange = 1): number {
  requireImage(rows, cols);
  requirePair('windowedSsim', a, b);
  if (a.length !== rows * cols) fail(`windowedSsim: expected ${rows}x${cols} = ${rows * cols} values, got ${a.length}`);
  requireRange(dataRange);
  return windowedAt(a, b, 0, rows, cols, (0.01 * dataRange) ** 2, (0.03 * dataRange) ** 2);
}

/** Average of windowedSsim over n images stored back to back. */
export function meanWindowedSsim(a: Floats, b: Floats, n: number, rows: number, cols: number, dataRange = 1): number {
  requireImage(rows, cols);
  if (!Number.isInteger(n) || n < 1) fail(`image count must be a positive integer, got ${n}`);
  requirePair('meanWindowedSsim', a, b);
  const D = rows * cols;
  if (a.length !== n * D) fail(`meanWindowedSsim: expected ${n} x ${rows}x${cols} = ${n * D} values, got ${a.length}`);
  requireRange(dataRange);
  const c1 = (0.01 * dataRange) ** 2;
  const c2 = (0.03 * dataRange) ** 2;
  let s = 0;
  for (let i = 0; i < n; i++) s += windowedAt(a, b, i * D, rows, cols, c1, c2);
  return s / n;
}
