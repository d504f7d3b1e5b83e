// Missing-data masks for the imputation protocol. A mask is plain data: a Uint8Array with one
// entry per pixel of the whole set (n images x D pixels, row-major), 1 = missing, 0 = observed.
// Pure TypeScript (no Node APIs) so the page can build the same masks from the same seeds.
import { fail } from '../errors.ts';
import { createRng } from '../rng.ts';

function requireCount(what: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) fail(`${what} must be an integer >= ${min}, got ${value}`);
}

function requireSameLength(what: string, a: { length: number }, b: { length: number }): void {
  if (a.length !== b.length) fail(`${what}: lengths differ (${a.length} vs ${b.length})`);
}

/**
 * Exactly round(fraction * n * D) missing entries, chosen uniformly over all n*D entries of the
 * set (seeded partial Fisher-Yates: the first k slots of a shuffled index array).
 */
export function randomPixelMask(n: number, D: number, fraction: number, seed: number): Uint8Array {
  requireCount('image count n', n, 0);
  requireCount('pixels per image D', D, 1);
  if (!(Number.isFinite(fraction) && fraction >= 0 && fraction <= 1)) {
    fail(`missing fraction must be in [0, 1], got ${fraction}`);
  }
  const total = n * D;
  const k = Math.round(fraction * total);
  const mask = new Uint8Array(total);
  if (k === 0) return mask;
  if (k === total) return mask.fill(1);
  const rng = createRng(seed);
  const idx = new Uint32Array(total);
  for (let i = 0; i < total; i++) idx[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(total - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
    mask[idx[i]] = 1;
  }
  return mask;
}

export interface SquaresOptions {
  /** squares per image (they may overlap) */
  squares: number;
  /** smallest and largest side, both inclusive; the side is uniform over the integers between */
  minSide: number;
  maxSide: number;
  seed: number;
  /** optional hook called once per square drawn (for tests and figures) */
  onSquare?: (image: number, row: number, col: number, side: number) => void;
}

/**
 * Per image, `squares` squares of uniform integer side in [minSide, maxSide]; the top-left corner
 * is uniform over the positions where the square lies entirely inside the rows x cols image.
 */
export function squaresMask(n: number, rows: number, cols: number, opts: SquaresOptions): Uint8Array {
  requireCount('image count n', n, 0);
  requireCount('image rows', rows, 1);
  requireCount('image cols', cols, 1);
  const { squares, minSide, maxSide, seed, onSquare } = opts;
  requireCount('squares per image', squares, 0);
  if (!Number.isInteger(minSide)) fail(`square minSide must be an integer, got ${minSide}`);
  if (minSide < 1) fail(`square side must be at least 1, got ${minSide}`);
  if (!Number.isInteger(maxSide)) fail(`square maxSide must be an integer, got ${maxSide}`);
  if (maxSide < minSide) fail(`square maxSide must be >= minSide (${minSide}), got ${maxSide}`);
  const limit = Math.min(rows, cols);
  if (maxSide > limit) fail(`square maxSide must be at most min(rows, cols) = ${limit}, got ${maxSide}`);
  const D = rows * cols;
  const mask = new Uint8Array(n * D);
  const rng = createRng(seed);
  for (let img = 0; img < n; img++) {
    const base = img * D;
    for (let s = 0; s < squares; s++) {
      const side = minSide + rng.int(maxSide - minSide + 1);
      const r0 = rng.int(rows - side + 1);
      const c0 = rng.int(cols - side + 1);
      onSquare?.(img, r0, c0, side);
      for (let r = r0; r < r0 + side; r++) mask.fill(1, base + r * cols + c0, base + r * cols + c0 + side);
    }
  }
  return mask;
}

/** Copy of x with the missing entries set to 0 (what the encoder sees). */
export function applyMask(x: Float32Array, mask: Uint8Array): Float32Array {
  requireSameLength('applyMask(x, mask)', x, mask);
  const out = x.slice();
  for (let i = 0; i < out.length; i++) if (mask[i] !== 0) out[i] = 0;
  return out;
}

/** Observed entries copied bit-identically from x, missing ones taken from prediction. */
export function imputeWith(x: Float32Array, prediction: Float32Array, mask: Uint8Array): Float32Array {
  requireSameLength('imputeWith(x, prediction)', x, prediction);
  requireSameLength('imputeWith(x, mask)', x, mask);
  const out = x.slice();
  for (let i = 0; i < out.length; i++) if (mask[i] !== 0) out[i] = prediction[i];
  return out;
}

/** Fraction of entries marked missing. */
export function maskFraction(mask: Uint8Array): number {
  if (mask.length === 0) fail('maskFraction: the mask is empty');
  let missing = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) missing++;
  return missing / mask.length;
}
