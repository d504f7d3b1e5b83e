// The page's side of run files (src/io/run_file.ts): which loaded runs it can continue (trained on
// the embedded MNIST with its split), the models' labels, and the folder names of a download.
import { DEFAULT_SIZES, type Split } from '../data/split.ts';
import { fail } from '../errors.ts';
import type { ModelSpec } from './worker/protocol.ts';
import type { readRunFile } from '../io/run_file.ts';
import { priorLabel } from './app_form.ts';

type LoadedRuns = ReturnType<typeof readRunFile>;

/** One error naming what does not fit, before the page changes anything. */
export function checkLoadedRuns(runs: LoadedRuns, split: Split, splitSeed: number): void {
  if (runs.length > 2) fail(`it holds ${runs.length} runs; the page shows at most two side by side`);
  const first = runs[0].content.data;
  const pixels = split.train.rows * split.train.cols;
  for (const { dir, content: r } of runs) {
    const where = dir === '.' ? 'the run' : dir;
    if (r.data.source !== undefined) fail(`${where} was trained on ${r.data.source}; the page loads runs on the embedded MNIST`);
    if (r.data.splitSeed !== splitSeed) fail(`${where} was trained on the MNIST split with seed ${r.data.splitSeed}; the page splits with seed ${splitSeed}`);
    if (r.data.sizes.join() !== DEFAULT_SIZES.join()) fail(`${where} was trained on a ${r.data.sizes.join('/')} split; the page has the reference's ${DEFAULT_SIZES.join('/')}`);
    if (r.config.shape.encoder[0] !== pixels) fail(`${where} takes ${r.config.shape.encoder[0]} inputs, MNIST has ${pixels} pixels`);
    if (r.data.trainImages > split.train.count || r.data.validImages > split.valid.count) fail(`${where} used ${r.data.trainImages}/${r.data.validImages} training/validation images, more than MNIST's ${split.train.count}/${split.valid.count}`);
    if (r.data.trainImages !== first.trainImages || r.data.validImages !== first.validImages) fail('its runs were trained on different numbers of images; load them one at a time');
  }
}

/** Each run's model, labelled by its prior (with its folder when two runs share a label). */
export function loadedSpecs(runs: LoadedRuns): ModelSpec[] {
  const labels = runs.map((r) => priorLabel(r.content.config));
  return runs.map((r, i) => ({ label: labels.indexOf(labels[i]) === i && labels.lastIndexOf(labels[i]) === i ? labels[i] : `${labels[i]} [${r.dir}]`, config: r.content.config }));
}

/** A download's folder per model: its label as a file name, numbered when two coincide. */
export function runDirNames(labels: string[]): string[] {
  const dirs = labels.map((l) => l.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-|-$/g, '') || 'model');
  return dirs.map((d, i) => (dirs.indexOf(d) === i ? d : `${d}-${i + 1}`));
}
