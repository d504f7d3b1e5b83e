// The seeded train/valid/test split of the pooled train+test images and small helpers (subset,
// float pixels); pure code with no Node APIs, shared by the CLI and the page.
import { fail } from '../errors.ts';
import { createRng, permutation } from '../rng.ts';
import type { ImageSet } from './idx_parse.ts';

/** A seeded split; the *Indices index the pool (train file first, then test file). */
export interface Split {
  train: ImageSet;
  valid: ImageSet;
  test: ImageSet;
  seed: number;
  sizes: [number, number, number];
  trainIndices: Uint32Array;
  validIndices: Uint32Array;
  testIndices: Uint32Array;
}

export const DEFAULT_SIZES: [number, number, number] = [55000, 5000, 10000];

function gather(pool: { train: ImageSet; test: ImageSet }, idx: Uint32Array): ImageSet {
  const { train, test } = pool;
  const px = train.rows * train.cols;
  const images = new Uint8Array(idx.length * px), labels = new Uint8Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const src = i < train.count ? train : test, j = i < train.count ? i : i - train.count;
    images.set(src.images.subarray(j * px, (j + 1) * px), k * px);
    labels[k] = src.labels[j];
  }
  return { images, labels, count: idx.length, rows: train.rows, cols: train.cols };
}

/** Pools train+test, permutes them with the seed, and cuts train/valid/test in that order. */
export function splitDataset(folder: { train: ImageSet; test: ImageSet }, opts: { seed: number; sizes?: [number, number, number] }): Split {
  const { train, test } = folder;
  if (train.rows !== test.rows || train.cols !== test.cols) {
    fail(`split: train images are ${train.rows}x${train.cols} but test images are ${test.rows}x${test.cols}`);
  }
  if (!Number.isInteger(opts.seed)) fail(`split: seed must be an integer, got ${opts.seed}`);
  const sizes: [number, number, number] = opts.sizes ? [...opts.sizes] : [...DEFAULT_SIZES];
  if (sizes.length !== 3) fail(`split: sizes must be [train, valid, test], got [${sizes.join(', ')}]`);
  const names = ['train', 'valid', 'test'];
  sizes.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 1) fail(`split: ${names[i]} size must be a positive integer, got ${s}`);
  });
  const n = train.count + test.count, total = sizes[0] + sizes[1] + sizes[2];
  if (total > n) {
    fail(`split: sizes ${sizes.join(' + ')} = ${total} exceed the ${n} pooled images (${train.count} train + ${test.count} test)`);
  }
  const perm = permutation(n, createRng(opts.seed));
  const trainIndices = perm.slice(0, sizes[0]);
  const validIndices = perm.slice(sizes[0], sizes[0] + sizes[1]);
  const testIndices = perm.slice(sizes[0] + sizes[1], total);
  return {
    train: gather(folder, trainIndices),
    valid: gather(folder, validIndices),
    test: gather(folder, testIndices),
    seed: opts.seed,
    sizes,
    trainIndices,
    validIndices,
    testIndices,
  };
}

/** The first n images of a set (views, no copy). */
export function subset(set: ImageSet, n: number): ImageSet {
  if (!Number.isInteger(n) || n < 1 || n > set.count) fail(`subset: n must be an integer in 1..${set.count}, got ${n}`);
  const px = set.rows * set.cols;
  return { images: set.images.subarray(0, n * px), labels: set.labels.subarray(0, n), count: n, rows: set.rows, cols: set.cols };
}

/** Pixels / 255 in [0, 1] for the first n images (all by default), row-major. */
export function toFloatPixels(set: ImageSet, n: number = set.count): Float32Array {
  if (!Number.isInteger(n) || n < 1 || n > set.count) fail(`toFloatPixels: n must be an integer in 1..${set.count}, got ${n}`);
  const len = n * set.rows * set.cols, out = new Float32Array(len);
  for (let i = 0; i < len; i++) out[i] = set.images[i] / 255;
  return out;
}

/** `--split`: three sizes (integers >= 1) or three fractions in (0, 1) summing to at most 1. */
export type SplitSpec = [number, number, number];

/** The split sizes for a pool of `pool` images: the spec's, or by default the reference's
 *  55,000/5,000/10,000 when the pool has 70,000 images or more and the same proportions of
 *  a smaller pool. */
export function resolveSplitSizes(spec: SplitSpec | undefined, pool: number): [number, number, number] {
  const total = DEFAULT_SIZES[0] + DEFAULT_SIZES[1] + DEFAULT_SIZES[2];
  const fractions = (f: number[]) => f.map((x) => Math.floor(x * pool)) as [number, number, number];
  const sizes = spec === undefined
    ? (pool >= total ? [...DEFAULT_SIZES] as [number, number, number] : fractions(DEFAULT_SIZES.map((s) => s / total)))
    : spec.every((x) => x > 0 && x < 1) ? fractions(spec) : ([...spec] as [number, number, number]);
  const names = ['train', 'valid', 'test'];
  sizes.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 1) fail(`--split: the ${names[i]} part of ${pool} images is ${s} images; it needs at least 1 (give sizes, e.g. --split 800,100,100)`);
  });
  const sum = sizes[0] + sizes[1] + sizes[2];
  if (sum > pool) fail(`--split ${sizes.join(',')} asks for ${sum} images but the data has ${pool} (train + test files pooled)`);
  return sizes;
}
