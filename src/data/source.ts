// The data part of a VAE: where the training, validation and test sets come from. IDX image
// folders (MNIST by default, Fashion-MNIST, ...) give bytes scaled to [0, 1] on the GPU; the
// synthetic 2-D sets give real values. One place turns a `--data` value into the three sets, for
// training, for evaluation and for the checks that reload a run.
import { fail } from '../errors.ts';
import { loadIdxFolder } from './idx.ts';
import { defaultDataDir, splitDataset, subset, toFloatPixels } from './mnist.ts';
import { resolveSplitSizes, type SplitSpec } from './split.ts';
import type { ImageSet } from './idx_parse.ts';
import { parseSyntheticName, syntheticSplit, type PointSet } from './synthetic.ts';

export interface DataSet {
  count: number;
  D: number;
  /** 'u8': image bytes (the model sees byte / 255); 'f32': real values */
  format: 'u8' | 'f32';
  /** what the GPU upload takes: the bytes, or a Float32Array's bytes */
  bytes: Uint8Array;
  /** the values the model sees, row-major (bytes / 255 for images) */
  values(n?: number): Float32Array;
  /** image side lengths, for images */
  image?: { rows: number; cols: number };
  /** class labels (0..9), for labelled image sets */
  labels?: Uint8Array;
  /** the first n items; `flag` names the option in the error when there are fewer */
  take(n: number | undefined, flag: string): DataSet;
}

export interface TrainingData {
  /** the --data value as recorded in run folders ('synthetic:NAME' or the folder) */
  source: string;
  realValued: boolean;
  train: DataSet;
  valid: DataSet;
  test: DataSet;
  /** sizes of the full sets */
  sizes: [number, number, number];
}

function imageSet(set: ImageSet): DataSet {
  return {
    count: set.count,
    D: set.rows * set.cols,
    format: 'u8',
    bytes: set.images,
    values: (n) => toFloatPixels(set, n),
    image: { rows: set.rows, cols: set.cols },
    labels: set.labels,
    take(n, flag) {
      if (n === undefined) return this;
      if (n > set.count) fail(`${flag} ${n} is more than the ${set.count} images available`);
      return imageSet(subset(set, n));
    },
  };
}

function pointSet(p: PointSet): DataSet {
  return {
    count: p.count,
    D: p.D,
    format: 'f32',
    bytes: new Uint8Array(p.values.buffer, p.values.byteOffset, p.values.byteLength),
    values: (n = p.count) => p.values.slice(0, n * p.D),
    take(n, flag) {
      if (n === undefined) return this;
      if (n > p.count) fail(`${flag} ${n} is more than the ${p.count} points available`);
      return pointSet({ values: p.values.slice(0, n * p.D), count: n, D: p.D });
    },
  };
}

/** `data`: undefined (the embedded MNIST), an IDX folder, or synthetic:NAME. `seed`: the split's
 *  seed for images, the generator's seed for synthetic sets. */
export function loadTrainingData(data: string | undefined, seed: number, split?: SplitSpec): TrainingData {
  const synthetic = data === undefined ? undefined : parseSyntheticName(data);
  if (synthetic) {
    if (split !== undefined) fail(`--split applies to image folders; a synthetic set has its own sizes (use --limit and --valid-limit)`);
    const s = syntheticSplit(synthetic, seed);
    return { source: data!, realValued: true, train: pointSet(s.train), valid: pointSet(s.valid), test: pointSet(s.test), sizes: [s.train.count, s.valid.count, s.test.count] };
  }
  const dir = data ?? defaultDataDir();
  const folder = loadIdxFolder(dir);
  const sizes = resolveSplitSizes(split, folder.train.count + folder.test.count);
  const s = splitDataset(folder, { seed, sizes });
  return { source: dir, realValued: false, train: imageSet(s.train), valid: imageSet(s.valid), test: imageSet(s.test), sizes: s.sizes };
}
