// IDX file parsing for Node (the MNIST file format): strict header validation, raw or gzip files
// (detected by the 1f 8b magic, not the name), and loading a folder of the four train/t10k files.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fail } from '../errors.ts';
import { pairImagesLabels, parseIdx, type IdxContent, type ImageSet } from './idx_parse.ts';

// parsing itself is browser-safe and lives in idx_parse.ts; re-exported for existing imports
export { parseIdx } from './idx_parse.ts';
export type { IdxContent, ImageSet } from './idx_parse.ts';

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
  // the pairing checks are shared with the page (idx_parse.ts); each error names the file at fault
  return pairImagesLabels(readIdxFile(imagesPath), readIdxFile(labelsPath), imagesPath, labelsPath);
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
