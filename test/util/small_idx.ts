// A folder of IDX files (MNIST's format) holding a few seeded random images: for CLI tests whose
// subject is not the data, so each run reads a few hundred images, not MNIST's 70,000.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRng } from '../../src/rng.ts';
import { tempDir } from './cli.ts';

function idx(magic: number, dims: number[], body: Uint8Array): Uint8Array {
  const head = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  head.setUint32(0, magic);
  dims.forEach((d, i) => head.setUint32(4 + 4 * i, d));
  return new Uint8Array([...new Uint8Array(head.buffer), ...body]);
}

/** `train` + `test` random `side`x`side` images, all labelled 0; the training images gzipped, as
 *  MNIST's may be, the test images plain, so both readers are used. */
export function smallIdxData(train: number, test: number, side: number): string {
  const dir = tempDir('smalldata');
  const r = createRng(5);
  const px = (n: number) => Uint8Array.from({ length: n * side * side }, () => r.int(256));
  writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idx(0x803, [train, side, side], px(train))));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx(0x801, [train], new Uint8Array(train)));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idx(0x803, [test, side, side], px(test)));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx(0x801, [test], new Uint8Array(test)));
  return dir;
}
