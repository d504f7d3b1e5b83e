// IDX parsing (the MNIST file format) with no Node APIs, so the page and Node share it: strict
// header validation of 1-dim label files and 3-dim image files of unsigned bytes.
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

/** Classes of every labelled set the project reads (MNIST, Fashion-MNIST). */
export const CLASSES = 10;

/** Pairs a parsed images file with its labels file, checking kinds, counts and label range. */
export function pairImagesLabels(im: IdxContent, lb: IdxContent, imagesName: string, labelsName: string): ImageSet {
  if (im.kind !== 'images') fail(`${imagesName}: expected an images file (magic 0x00000803), found a labels file`);
  if (lb.kind !== 'labels') fail(`${labelsName}: expected a labels file (magic 0x00000801), found an images file`);
  if (im.count !== lb.count) fail(`${imagesName} has ${im.count} images but ${labelsName} has ${lb.count} labels`);
  if (im.count < 1) fail(`${imagesName}: holds no images`);
  // the conditional VAE one-hot encodes labels over CLASSES classes (MNIST and Fashion-MNIST have 10)
  for (let i = 0; i < lb.count; i++) {
    if (lb.labels[i] >= CLASSES) fail(`${labelsName}: label ${lb.labels[i]} at index ${i} is not a class 0..${CLASSES - 1}`);
  }
  return { images: im.pixels, labels: lb.labels, count: im.count, rows: im.rows, cols: im.cols };
}
