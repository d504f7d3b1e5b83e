// IDX file parsing for Node (the MNIST file format): strict header validation, raw or gzip files
// (detected by the 1f 8b magic, not the name), and loading a folder of the four train/t10k files.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fail } from '../errors.ts';

export type IdxContent =
  | { kind: 'images'; count: number; rows: number; cols: number; pixels: Uint8Array }
  | { kind: 'labels'; count: number; labels: Uint8Array };

/** A set of images (row-major, one byte per pixel, count*rows*cols) with one label each. */
export interface ImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

const hex = (v: number, digits: number): string => '0x' + v.toString(16).padStart(digits, '0');

/** Parses one IDX file's bytes (1-dim unsigned-byte labels or 3-dim unsigned-byte images). */
export function parseIdx(bytes: Uint8Array, name: string): IdxContent {
  if (bytes.length === 0) fail(`${name}: empty file (0 bytes), expected an IDX file`);
  if (bytes.length < 4) fail(`${name}: ${bytes.length} bytes is too short for an IDX header (magic needs 4 bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = bytes[2], ndims = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || (ndims !== 1 && ndims !== 3)) {
    fail(`${name}: bad magic number ${hex(magic, 8)}, expected 0x00000801 (labels) or 0x00000803 (images)`);
  }
  if (type !== 0x08) {
    fail(`${name}: data type byte is ${hex(type, 2)} (magic ${hex(magic, 8)}), only 0x08 (unsigned byte) is supported`);
  }
  const header = 4 + 4 * ndims;
  if (bytes.length < header) {
    fail(`${name}: ${bytes.length} bytes is too short for the IDX header (${header} bytes for ${ndims} dimension(s))`);
  }
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) {
    const v = view.getUint32(4 + 4 * d, false);
    if (v === 0) fail(`${name}: dimension ${d} is 0, every dimension must be > 0`);
    dims.push(v);
  }
  const expected = header + dims.reduce((a, b) => a * b, 1);
  if (bytes.length < expected) {
    fail(`${name}: truncated: expected ${expected} bytes (dims ${dims.join('x')}), got ${bytes.length}`);
  }
  if (bytes.length > expected) {
    fail(`${name}: ${bytes.length - expected} trailing bytes after the ${expected} bytes of dims ${dims.join('x')}`);
  }
  const data = new Uint8Array(bytes.subarray(header)); // plain copy, independent of the file buffer
  if (ndims === 1) return { kind: 'labels', count: dims[0], labels: data };
  return { kind: 'images', count: dims[0], rows: dims[1], cols: dims[2], pixels: data };
}

/** Reads and parses one IDX file, raw or gzip-compressed. */
export function readIdxFile(path: string): IdxContent {
  let raw: Uint8Array;
  try {
    raw = readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') fail(`${path} not found`);
    fail(`cannot read ${path}: ${err.message}`);
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      raw = gunzipSync(raw);
    } catch (e) {
      fail(`corrupt gzip file ${path}: ${(e as Error).message}`);
    }
  }
  return parseIdx(raw, path);
}

const FILES = {
  trainImages: ['train-images', 'idx3-ubyte'],
  trainLabels: ['train-labels', 'idx1-ubyte'],
  testImages: ['t10k-images', 'idx3-ubyte'],
  testLabels: ['t10k-labels', 'idx1-ubyte'],
} as const;

function candidates(base: string, ext: string): string[] {
  const names = [`${base}-${ext}`, `${base}.${ext}`];
  return names.flatMap((n) => [n, `${n}.gz`]);
}

function findFile(dir: string, key: keyof typeof FILES): string {
  const [base, ext] = FILES[key];
  const names = candidates(base, ext);
  for (const n of names) {
    const p = join(dir, n);
    if (existsSync(p)) return p;
  }
  fail(`${dir}: no ${base} file; looked for ${names.join(', ')}`);
}

function loadPair(dir: string, imagesKey: 'trainImages' | 'testImages', labelsKey: 'trainLabels' | 'testLabels'): ImageSet {
  const imagesPath = findFile(dir, imagesKey), labelsPath = findFile(dir, labelsKey);
  const im = readIdxFile(imagesPath);
  if (im.kind !== 'images') fail(`${imagesPath}: expected an images file (magic 0x00000803), found a labels file`);
  const lb = readIdxFile(labelsPath);
  if (lb.kind !== 'labels') fail(`${labelsPath}: expected a labels file (magic 0x00000801), found an images file`);
  if (im.count !== lb.count) fail(`${imagesPath} has ${im.count} images but ${labelsPath} has ${lb.count} labels`);
  if (im.count < 1) fail(`${imagesPath}: holds no images`);
  return { images: im.pixels, labels: lb.labels, count: im.count, rows: im.rows, cols: im.cols };
}

/** Loads train-* and t10k-* images and labels from a folder (raw, .gz, or the dot-named variants). */
export function loadIdxFolder(dir: string): { train: ImageSet; test: ImageSet } {
  if (!existsSync(dir)) fail(`data folder ${dir} not found`);
  if (!statSync(dir).isDirectory()) fail(`data folder ${dir} is not a directory`);
  for (const key of Object.keys(FILES) as (keyof typeof FILES)[]) findFile(dir, key); // report a missing file before parsing
  const train = loadPair(dir, 'trainImages', 'trainLabels');
  const test = loadPair(dir, 'testImages', 'testLabels');
  if (train.rows !== test.rows || train.cols !== test.cols) {
    fail(`${dir}: train images are ${train.rows}x${train.cols} but test images are ${test.rows}x${test.cols}`);
  }
  return { train, test };
}
