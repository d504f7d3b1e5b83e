// What Train starts, from the form: the models (with "side by side", the other prior too), the
// data as the training worker takes it (the embedded MNIST or a seeded synthetic set), the run
// file's record of that data, and the test images or points the live views show.
import { DEFAULT_SIZES, subset, type Split } from '../data/split.ts';
import { syntheticSplit, type SyntheticName } from '../data/synthetic.ts';
import type { RunData } from '../io/run_file.ts';
import type { ImageBytes } from '../train/trainer.ts';
import { imageBytes, pointBytes, viewImagesOf } from './app_data.ts';
import { field, modelSpecs, readSettings, toVaeConfig } from './app_form.ts';
import type { ModelSpec, ViewImages } from './worker/protocol.ts';

/** test images every model reconstructs after each epoch */
const VIEW_IMAGES = 8;
/** synthetic test points the scatter plots show */
const SCATTER_POINTS = 1000;

export interface TrainPlan {
  specs: ModelSpec[];
  data: { train: ImageBytes; valid: ImageBytes };
  epochs: number;
  runData: RunData;
  /** MNIST: the images every model reconstructs after each epoch */
  views?: ViewImages;
  /** a synthetic set: its name and the test points of the scatter plots */
  synthetic?: { name: SyntheticName; test: Float32Array };
}

/** MNIST's first `limit` training and `validLimit` validation images, and the view images. */
export function mnistData(split: Split, limit: number, validLimit: number): { data: { train: ImageBytes; valid: ImageBytes }; views: ViewImages } {
  return { data: { train: imageBytes(subset(split.train, limit)), valid: imageBytes(subset(split.valid, validLimit)) }, views: viewImagesOf(split.test, VIEW_IMAGES) };
}

/** The session the form asks for; throws a TvaeError naming the first invalid setting. */
export function planFromForm(form: HTMLFormElement, split: Split, splitSeed: number): TrainPlan {
  const dataName = field(form, 'data').value;
  if (dataName.startsWith('synthetic:')) {
    const name = dataName.slice('synthetic:'.length) as SyntheticName;
    const sets = syntheticSplit(name, splitSeed);
    const s = readSettings(form, { train: sets.train.count, valid: sets.valid.count });
    return {
      specs: modelSpecs(toVaeConfig(s, 2), s.compare, s.nu, s.multivariate),
      data: { train: pointBytes(sets.train, s.limit), valid: pointBytes(sets.valid, s.validLimit) },
      epochs: s.epochs,
      runData: { source: dataName, splitSeed, sizes: [sets.train.count, sets.valid.count, sets.test.count], trainImages: s.limit, validImages: s.validLimit },
      synthetic: { name, test: sets.test.values.slice(0, 2 * SCATTER_POINTS) },
    };
  }
  const s = readSettings(form, { train: split.train.count, valid: split.valid.count });
  return {
    specs: modelSpecs(toVaeConfig(s, split.train.rows * split.train.cols), s.compare, s.nu, s.multivariate),
    ...mnistData(split, s.limit, s.validLimit),
    epochs: s.epochs,
    runData: { splitSeed, sizes: [...DEFAULT_SIZES], trainImages: s.limit, validImages: s.validLimit },
  };
}
