// PNG grids: decoded size (tiles * scale + gaps), pixel values (0 -> 0, 1 -> 255, 0.5 -> 128,
// clamping), the mid-grey gaps and unused cells, upscaling, and validation errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePng, grayscaleGridPng } from '../src/report/png.ts';
import { TvaeError } from '../src/errors.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

test('a 2x2 grid of 3x4 images decodes to the right size and pixel values', () => {
  const rows = 3, cols = 4, D = rows * cols;
  const images = new Float32Array(4 * D);
  images.fill(0, 0, D); // image 0: black
  images.fill(1, D, 2 * D); // image 1: white
  images.fill(0.5, 2 * D, 3 * D); // image 2: mid grey
  for (let i = 0; i < D; i++) images[3 * D + i] = i / (D - 1); // image 3: ramp 0..1
  images[3 * D] = -0.5; // clamps to 0
  images[3 * D + D - 1] = 7; // clamps to 255
  const scale = 3, gap = 2;
  const bytes = grayscaleGridPng(images, 4, rows, cols, { perRow: 2, scale, gap });
  assert.ok(bytes instanceof Uint8Array);
  assert.deepEqual([...bytes.subarray(0, 8)], PNG_SIGNATURE);
  const { width, height, gray } = decodePng(bytes);
  assert.equal(width, 2 * cols * scale + gap);
  assert.equal(height, 2 * rows * scale + gap);
  const at = (x: number, y: number) => gray[y * width + x];
  const tile = (k: number) => ({ x0: (k % 2) * (cols * scale + gap), y0: Math.floor(k / 2) * (rows * scale + gap) });
  const pixelOf = (k: number, r: number, c: number, dy: number, dx: number) =>
    at(tile(k).x0 + c * scale + dx, tile(k).y0 + r * scale + dy);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          assert.equal(pixelOf(0, r, c, dy, dx), 0);
          assert.equal(pixelOf(1, r, c, dy, dx), 255);
          assert.ok([127, 128].includes(pixelOf(2, r, c, dy, dx)), `0.5 -> ${pixelOf(2, r, c, dy, dx)}`);
          const v = Math.min(1, Math.max(0, images[3 * D + r * cols + c]));
          assert.ok(Math.abs(pixelOf(3, r, c, dy, dx) - v * 255) <= 0.5 + 1e-9, `ramp ${r},${c}`);
        }
      }
    }
  }
  assert.equal(pixelOf(3, 0, 0, 0, 0), 0);
  assert.equal(pixelOf(3, rows - 1, cols - 1, scale - 1, scale - 1), 255);
  // the gap column and gap row are mid grey
  for (let y = 0; y < height; y++) for (let g = 0; g < gap; g++) assert.equal(at(cols * scale + g, y), 128);
  for (let x = 0; x < width; x++) for (let g = 0; g < gap; g++) assert.equal(at(x, rows * scale + g), 128);
});

test('defaults (scale 2, gap 2), partial last row and a single image', () => {
  const rows = 5, cols = 6, D = rows * cols;
  const images = new Float32Array(5 * D).fill(1);
  const { width, height, gray } = decodePng(grayscaleGridPng(images, 5, rows, cols, { perRow: 3 }));
  assert.equal(width, 3 * cols * 2 + 2 * 2);
  assert.equal(height, 2 * rows * 2 + 2);
  // the sixth cell (row 1, column 2) is empty: mid grey
  const x0 = 2 * (cols * 2 + 2), y0 = rows * 2 + 2;
  for (let y = y0; y < height; y++) for (let x = x0; x < width; x++) assert.equal(gray[y * width + x], 128);
  assert.equal(gray[y0 * width], 255);
  const one = decodePng(grayscaleGridPng(new Float32Array(D).fill(0.25), 1, rows, cols, { perRow: 8, scale: 1, gap: 5 }));
  assert.equal(one.width, cols);
  assert.equal(one.height, rows);
  assert.ok(one.gray.every((v) => v === 64));
});

test('invalid grid settings throw TvaeError naming the value', () => {
  const throwsNaming = (fn: () => unknown, value: string) =>
    assert.throws(fn, (e: unknown) => e instanceof TvaeError && e.message.includes(value), `expected TvaeError naming ${value}`);
  const x = new Float32Array(4 * 9);
  throwsNaming(() => grayscaleGridPng(x, 5, 3, 3, { perRow: 2 }), '36');
  throwsNaming(() => grayscaleGridPng(x, 4, 3, 3, { perRow: 0 }), '0');
  throwsNaming(() => grayscaleGridPng(x, 4, 3, 3, { perRow: 2, scale: 1.5 }), '1.5');
  throwsNaming(() => grayscaleGridPng(x, 4, 3, 3, { perRow: 2, gap: -1 }), '-1');
  throwsNaming(() => decodePng(new Uint8Array([1, 2, 3])), 'PNG');
});
