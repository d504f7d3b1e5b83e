// Masks for the imputation protocol: exact missing counts, seeding, the geometry of the squares
// masks (re-derived from the squares reported by the onSquare hook), validation, and the
// bit-exactness of imputeWith on observed entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMask, imputeWith, maskFraction, randomPixelMask, squaresMask } from '../src/eval/masks.ts';
import { TvaeError } from '../src/errors.ts';

const count = (m: Uint8Array) => m.reduce((s, v) => s + v, 0);
const throwsNaming = (fn: () => unknown, value: string) =>
  assert.throws(fn, (e: unknown) => e instanceof TvaeError && e.message.includes(value), `expected TvaeError naming ${value}`);

test('randomPixelMask marks exactly round(fraction * n * D) entries, only 0/1', () => {
  for (const [n, D] of [[1, 1], [3, 37], [7, 13], [5, 784]]) {
    for (const f of [0, 0.3, 0.5, 1, 0.999]) {
      const m = randomPixelMask(n, D, f, 11);
      assert.equal(m.length, n * D);
      assert.equal(count(m), Math.round(f * n * D), `n=${n} D=${D} f=${f}`);
      assert.ok(m.every((v) => v === 0 || v === 1));
      assert.equal(maskFraction(m), Math.round(f * n * D) / (n * D));
    }
  }
});

test('randomPixelMask is reproducible per seed and differs across seeds', () => {
  const a = randomPixelMask(4, 784, 0.3, 1);
  assert.deepEqual(a, randomPixelMask(4, 784, 0.3, 1));
  assert.notDeepEqual(a, randomPixelMask(4, 784, 0.3, 2));
});

test('randomPixelMask picks every entry with the same probability', () => {
  const total = 12, k = 4, seeds = 3000;
  const hits = new Float64Array(total);
  for (let s = 0; s < seeds; s++) {
    const m = randomPixelMask(3, 4, k / total, s);
    for (let i = 0; i < total; i++) hits[i] += m[i];
  }
  const p = k / total, expected = seeds * p, sd = Math.sqrt(seeds * p * (1 - p));
  for (let i = 0; i < total; i++) assert.ok(Math.abs(hits[i] - expected) < 5 * sd, `entry ${i}: ${hits[i]} hits, expected ${expected}`);
});

test('one square of fixed side is a contiguous s x s block inside each image', () => {
  const rows = 28, cols = 28, D = rows * cols;
  for (const s of [1, 3, 7, 28]) {
    const m = squaresMask(20, rows, cols, { squares: 1, minSide: s, maxSide: s, seed: 5 });
    for (let img = 0; img < 20; img++) {
      const one = m.subarray(img * D, (img + 1) * D);
      assert.equal(count(one), s * s, `side ${s} image ${img}`);
      let rMin = rows, rMax = -1, cMin = cols, cMax = -1;
      for (let i = 0; i < D; i++) {
        if (!one[i]) continue;
        const r = Math.floor(i / cols), c = i % cols;
        rMin = Math.min(rMin, r); rMax = Math.max(rMax, r); cMin = Math.min(cMin, c); cMax = Math.max(cMax, c);
      }
      // s*s missing pixels inside an s x s bounding box: exactly the full block
      assert.equal(rMax - rMin + 1, s);
      assert.equal(cMax - cMin + 1, s);
    }
  }
});

test('squaresMask equals the union of the squares it reports, all inside the image', () => {
  const n = 30, rows = 28, cols = 20, squares = 7, minSide = 2, maxSide = 5;
  const rebuilt = new Uint8Array(n * rows * cols);
  const sides = new Set<number>();
  let seen = 0;
  const m = squaresMask(n, rows, cols, {
    squares, minSide, maxSide, seed: 9,
    onSquare: (img, r0, c0, side) => {
      seen++;
      sides.add(side);
      assert.ok(side >= minSide && side <= maxSide && Number.isInteger(side), `side ${side}`);
      assert.ok(r0 >= 0 && r0 + side <= rows && c0 >= 0 && c0 + side <= cols, `square at ${r0},${c0} side ${side}`);
      for (let r = r0; r < r0 + side; r++) for (let c = c0; c < c0 + side; c++) rebuilt[img * rows * cols + r * cols + c] = 1;
    },
  });
  assert.equal(seen, n * squares);
  assert.deepEqual([...sides].sort(), [2, 3, 4, 5]);
  assert.deepEqual(m, rebuilt);
  assert.deepEqual(m, squaresMask(n, rows, cols, { squares, minSide, maxSide, seed: 9 }));
  assert.notDeepEqual(m, squaresMask(n, rows, cols, { squares, minSide, maxSide, seed: 10 }));
  assert.equal(count(squaresMask(3, rows, cols, { squares: 0, minSide, maxSide, seed: 1 })), 0);
});

test('50 squares of side 1..4 on 28x28 miss the analytically expected fraction', () => {
  const rows = 28, cols = 28, squares = 50, lo = 1, hi = 4;
  // P(a pixel is covered by one square) averaged over the side, then 1 - (1 - p)^squares.
  const cover = (i: number, s: number, len: number) => Math.min(i, len - s) - Math.max(0, i - s + 1) + 1;
  let expected = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let p = 0;
      for (let s = lo; s <= hi; s++) p += (cover(r, s, rows) * cover(c, s, cols)) / ((rows - s + 1) * (cols - s + 1));
      p /= hi - lo + 1;
      expected += 1 - (1 - p) ** squares;
    }
  }
  expected /= rows * cols;
  const got = maskFraction(squaresMask(300, rows, cols, { squares, minSide: lo, maxSide: hi, seed: 2025 }));
  assert.ok(Math.abs(got - expected) < 0.01, `missing fraction ${got}, expected ${expected}`);
});

test('invalid mask settings throw TvaeError naming the value', () => {
  throwsNaming(() => randomPixelMask(2, 784, -0.1, 1), '-0.1');
  throwsNaming(() => randomPixelMask(2, 784, 1.5, 1), '1.5');
  throwsNaming(() => randomPixelMask(2, 784, NaN, 1), 'NaN');
  throwsNaming(() => randomPixelMask(2.5, 784, 0.3, 1), '2.5');
  const sq = { squares: 1, minSide: 1, maxSide: 4, seed: 1 };
  assert.throws(() => squaresMask(2, 28, 28, { ...sq, minSide: 0 }), (e: unknown) =>
    e instanceof TvaeError && e.message === 'square side must be at least 1, got 0');
  throwsNaming(() => squaresMask(2, 28, 28, { ...sq, maxSide: 40 }), '40');
  throwsNaming(() => squaresMask(2, 28, 20, { ...sq, maxSide: 21 }), '21');
  throwsNaming(() => squaresMask(2, 28, 28, { ...sq, minSide: 5, maxSide: 3 }), '3');
  throwsNaming(() => squaresMask(2, 28, 28, { ...sq, squares: -1 }), '-1');
  throwsNaming(() => squaresMask(2, 28, 28, { ...sq, squares: 2.5 }), '2.5');
  throwsNaming(() => maskFraction(new Uint8Array(0)), 'empty');
  throwsNaming(() => applyMask(new Float32Array(3), new Uint8Array(4)), '4');
  throwsNaming(() => imputeWith(new Float32Array(3), new Float32Array(3), new Uint8Array(2)), '2');
});

test('applyMask zeroes missing entries; imputeWith keeps observed entries bit-identical', () => {
  const special = [-0, 0, 1e-45, 2 ** -149, 0.1, 1, NaN, -3.5e38, 2 ** -126, 0.30000001192092896, -1e-40];
  const n = 400;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = special[i % special.length] * (1 + (i % 7) / 13);
  const mask = randomPixelMask(1, n, 0.4, 3);
  const observedNegZero = [...mask.keys()].filter((i) => !mask[i]).slice(0, 5);
  for (const i of observedNegZero) x[i] = -0; // make sure -0 is among the observed entries
  const prediction = new Float32Array(n).map((_, i) => 0.25 + i / 1000);
  const xCopy = x.slice();
  const imputed = imputeWith(x, prediction, mask);
  const masked = applyMask(x, mask);
  for (let i = 0; i < n; i++) {
    if (mask[i]) {
      assert.ok(Object.is(imputed[i], prediction[i]), `missing entry ${i}`);
      assert.ok(Object.is(masked[i], 0), `masked entry ${i}`);
    } else {
      assert.ok(Object.is(imputed[i], x[i]), `observed entry ${i}: ${imputed[i]} vs ${x[i]}`);
      assert.ok(Object.is(masked[i], x[i]), `observed masked entry ${i}`);
    }
  }
  for (const i of observedNegZero) assert.ok(Object.is(imputed[i], -0), `entry ${i} is still -0`);
  // bit patterns too (covers NaN payloads and tiny subnormals)
  const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
  for (let i = 0; i < n; i++) if (!mask[i]) assert.equal(bits(imputed)[i], bits(x)[i], `bits of entry ${i}`);
  assert.deepEqual(bits(x), bits(xCopy), 'inputs are not modified');
});
