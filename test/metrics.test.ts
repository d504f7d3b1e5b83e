// Metrics: hand-computed MSE and global SSIM cases, a closed-form single-window SSIM, a naive
// window-by-window reference for the windowed SSIM, reference values from a scipy
// re-implementation of skimage's structural_similarity, symmetry, and validation errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globalSsim, meanWindowedSsim, mse, mseWhere, windowedSsim } from '../src/eval/metrics.ts';
import { TvaeError } from '../src/errors.ts';
import { createRng } from '../src/rng.ts';

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} (|diff| ${Math.abs(actual - expected)} > ${tol})`);
}
const throwsNaming = (fn: () => unknown, value: string) =>
  assert.throws(fn, (e: unknown) => e instanceof TvaeError && e.message.includes(value), `expected TvaeError naming ${value}`);

function randomImage(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => rng.next());
}

/** Direct definition: every valid 7x7 window, two-pass sample mean / variance / covariance. */
function naiveSsim(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, cols: number, L = 1): number {
  const c1 = (0.01 * L) ** 2, c2 = (0.03 * L) ** 2;
  let total = 0, windows = 0;
  for (let r0 = 0; r0 <= rows - 7; r0++) {
    for (let c0 = 0; c0 <= cols - 7; c0++) {
      const xs: number[] = [], ys: number[] = [];
      for (let r = r0; r < r0 + 7; r++) for (let c = c0; c < c0 + 7; c++) (xs.push(a[r * cols + c]), ys.push(b[r * cols + c]));
      const mx = xs.reduce((s, v) => s + v, 0) / 49, my = ys.reduce((s, v) => s + v, 0) / 49;
      let vx = 0, vy = 0, cxy = 0;
      for (let k = 0; k < 49; k++) {
        vx += (xs[k] - mx) ** 2;
        vy += (ys[k] - my) ** 2;
        cxy += (xs[k] - mx) * (ys[k] - my);
      }
      vx /= 48; vy /= 48; cxy /= 48;
      total += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
      windows++;
    }
  }
  return total / windows;
}

test('mse and mseWhere match hand-computed values', () => {
  const a = new Float32Array([1, 2, 3, 0.5]);
  const b = new Float32Array([1, 0, 0, 0]);
  close(mse(a, b), (0 + 4 + 9 + 0.25) / 4, 1e-15, 'mse');
  close(mseWhere(a, b, new Uint8Array([0, 1, 0, 1])), (4 + 0.25) / 2, 1e-15, 'mseWhere');
  close(mseWhere(a, b, new Uint8Array([1, 1, 1, 1])), mse(a, b), 1e-15, 'mseWhere all');
  assert.equal(mse(a, a), 0);
  // accumulated in float64: 1e6 equal errors stay accurate to ~1e-12 (float32 sums would not)
  const big = new Float32Array(1_000_000).fill(0.1);
  close(mse(big, new Float32Array(big.length)), Math.fround(0.1) ** 2, 1e-12, 'mse float64 accumulation');
});

test('globalSsim: identity, a hand-computed case, data range and symmetry', () => {
  const x = randomImage(784, 1);
  close(globalSsim(x, x), 1, 1e-14, 'globalSsim(a, a)');
  // a = [0, 1], b = [0, 0.5]: mu 0.5 / 0.25, var 0.25 / 0.0625, cov 0.125
  const a = [0, 1], b = [0, 0.5];
  close(globalSsim(a, b), ((2 * 0.5 * 0.25 + 1e-4) * (2 * 0.125 + 9e-4)) / ((0.25 + 0.0625 + 1e-4) * (0.25 + 0.0625 + 9e-4)), 1e-15, 'L = 1');
  close(globalSsim(a, b, 2), ((0.25 + 4e-4) * (0.25 + 36e-4)) / ((0.3125 + 4e-4) * (0.3125 + 36e-4)), 1e-15, 'L = 2');
  // a = [0, 1, 0, 1], b = [1, 0, 1, 0]: equal means 0.5, var 0.25, cov -0.25
  close(globalSsim([0, 1, 0, 1], [1, 0, 1, 0]), ((0.5 + 1e-4) * (-0.5 + 9e-4)) / ((0.5 + 1e-4) * (0.5 + 9e-4)), 1e-15, 'anti');
  const y = randomImage(784, 2);
  assert.equal(globalSsim(x, y), globalSsim(y, x));
  assert.ok(globalSsim(x, y) < 0.2);
});

test('windowedSsim(a, a) = 1 and symmetry in a, b', () => {
  const a = randomImage(28 * 28, 3), b = randomImage(28 * 28, 4);
  close(windowedSsim(a, a, 28, 28), 1, 1e-14, 'windowedSsim(a, a)');
  assert.equal(windowedSsim(a, b, 28, 28), windowedSsim(b, a, 28, 28));
  assert.equal(meanWindowedSsim(a, b, 1, 28, 28), windowedSsim(a, b, 28, 28));
});

test('a 7x7 image is one window: closed form with sample covariance', () => {
  // a = k/48 (k = 0..48), b = 1 - a: both means 0.5, sample variance v = 9800/110592, cov = -v
  const a = Float64Array.from({ length: 49 }, (_, k) => k / 48);
  const b = a.map((v) => 1 - v);
  const v = 9800 / 110592;
  for (const L of [1, 2.5]) {
    const c1 = (0.01 * L) ** 2, c2 = (0.03 * L) ** 2;
    const expected = ((2 * 0.25 + c1) * (-2 * v + c2)) / ((0.5 + c1) * (2 * v + c2));
    close(windowedSsim(a, b, 7, 7, L), expected, 1e-14, `7x7, L = ${L}`);
  }
  // a shifted copy: equal variances and cov = var, only the luminance term differs
  const s = a.map((x) => x + 0.2);
  const lum = (2 * 0.5 * 0.7 + 1e-4) / (0.25 + 0.49 + 1e-4);
  close(windowedSsim(a, s, 7, 7), lum, 1e-14, '7x7 shift');
});

test('windowedSsim agrees with a naive window-by-window reference on random 12x10 images', () => {
  const rows = 12, cols = 10;
  for (let seed = 0; seed < 5; seed++) {
    const a = randomImage(rows * cols, 10 + seed);
    const noise = randomImage(rows * cols, 50 + seed);
    const cases: [string, Float64Array][] = [
      ['constant shift', a.map((v) => v + 0.15)],
      ['independent', noise],
      ['scaled + noise', a.map((v, i) => 0.6 * v + 0.3 * noise[i])],
    ];
    for (const [name, b] of cases) {
      close(windowedSsim(a, b, rows, cols), naiveSsim(a, b, rows, cols), 1e-12, `${name} seed ${seed}`);
      close(windowedSsim(a, b, rows, cols, 2), naiveSsim(a, b, rows, cols, 2), 1e-12, `${name} seed ${seed}, L = 2`);
    }
  }
  // float32 input and meanWindowedSsim over 3 images
  const n = 3, D = rows * cols;
  const a = Float32Array.from(randomImage(n * D, 7)), b = Float32Array.from(randomImage(n * D, 8));
  let expected = 0;
  for (let i = 0; i < n; i++) expected += naiveSsim(a.subarray(i * D, (i + 1) * D), b.subarray(i * D, (i + 1) * D), rows, cols) / n;
  close(meanWindowedSsim(a, b, n, rows, cols), expected, 1e-12, 'meanWindowedSsim');
});

test('windowedSsim matches skimage-style structural_similarity values (scipy uniform_filter + crop)', () => {
  const img = (rows: number, cols: number, f: (i: number) => number) => Float64Array.from({ length: rows * cols }, (_, i) => f(i));
  const a = img(12, 10, (i) => (Math.sin(0.7 * i) + 1) / 2), b = img(12, 10, (i) => (Math.cos(0.3 * i + 1) + 1) / 2);
  close(windowedSsim(a, b, 12, 10), 0.01182891759204043, 1e-12, '12x10');
  close(windowedSsim(a, b, 12, 10, 2), 0.023647515545675197, 1e-12, '12x10, L = 2');
  const c = img(28, 28, (i) => ((i * 37) % 101) / 100), d = img(28, 28, (i) => ((i * 53 + 7) % 89) / 88);
  close(windowedSsim(c, d, 28, 28), -0.0007109362927936684, 1e-12, '28x28');
});

test('invalid metric inputs throw TvaeError naming the value', () => {
  throwsNaming(() => mse([1, 2], [1]), '1');
  throwsNaming(() => mse([], []), 'empty');
  throwsNaming(() => mseWhere([1, 2], [1, 2], new Uint8Array([0, 0])), 'no entries');
  throwsNaming(() => mseWhere([1, 2], [1, 2], new Uint8Array([1])), '1');
  throwsNaming(() => globalSsim([1], [1], 0), '0');
  throwsNaming(() => windowedSsim(new Float32Array(42), new Float32Array(42), 6, 7), '6');
  throwsNaming(() => windowedSsim(new Float32Array(49), new Float32Array(49), 7, 8), '49');
  throwsNaming(() => windowedSsim(new Float32Array(49), new Float32Array(49), 7, 7, -1), '-1');
  throwsNaming(() => meanWindowedSsim(new Float32Array(98), new Float32Array(98), 3, 7, 7), '98');
  throwsNaming(() => meanWindowedSsim(new Float32Array(98), new Float32Array(98), 0, 7, 7), '0');
});
