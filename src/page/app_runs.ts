// The page's side of run files (src/io/run_file.ts): which loaded runs it can continue (trained on
// the embedded MNIST with its split), the models' labels, the folder names and bytes of a
// download, and the file input and drop zone that load one.
import { DEFAULT_SIZES, type Split } from '../data/split.ts';
import { fail } from '../errors.ts';
import type { ModelSpec } from './worker/protocol.ts';
import { encodeRunFile, readRunFile, type PickedFile, type RunData } from '../io/run_file.ts';
import type { AdapterDescription } from '../gpu/device.ts';
import type { TrainWorker } from './worker/client.ts';
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

/** A picked run file read and checked whole, before the page changes anything: its runs, their
 *  models, the data they were trained on, and what the worker continues from. */
export function readLoadableRuns(picked: PickedFile[], split: Split, splitSeed: number) {
  const runs = readRunFile(picked);
  checkLoadedRuns(runs, split, splitSeed);
  return {
    runs,
    specs: loadedSpecs(runs),
    data: runs[0].content.data,
    /** the epochs the runs reached, and those the form offers to go on to */
    epochs: Math.max(...runs.map((r) => r.content.state.epoch)),
    formEpochs: Math.max(...runs.map((r) => Math.max(r.content.epochs, r.content.state.epoch + 1))),
    from: runs.map((r) => ({ state: r.content.state, history: r.content.history, kernels: r.content.kernels })),
  };
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

/** The session as one run file: each model's run folder (from the worker's export), under a
 *  folder named by its prior. */
export async function exportRunFile(worker: TrainWorker, data: RunData | undefined, target: number, adapter: AdapterDescription | undefined): Promise<Uint8Array> {
  if (!data) fail('no run to download: train or load one first');
  const reply = await worker.request({ type: 'export' });
  if (!reply.ok) fail(reply.message);
  const { models: specs, saved } = reply.exported!;
  const unique = runDirNames(specs.map((m) => m.label));
  return encodeRunFile(specs.map((m, i) => ({ dir: unique[i], content: { config: m.config, state: saved[i].state, history: saved[i].history, data, epochs: Math.max(target, saved[i].state.epoch), adapter, kernels: saved[i].kernels } })));
}

async function pickedFiles(list: FileList | null | undefined): Promise<PickedFile[]> {
  return Promise.all([...(list ?? [])].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

/** Run files picked in `input` or dropped on `drop` go to `load`, as names and bytes. */
export function onRunFiles(input: HTMLInputElement, drop: HTMLElement, load: (picked: PickedFile[]) => Promise<void>): void {
  input.addEventListener('change', async () => {
    await load(await pickedFiles(input.files));
    input.value = ''; // the same file picked again loads again
  });
  drop.addEventListener('dragover', (e) => {
    e.preventDefault(); // without it the browser opens the dropped file instead
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    await load(await pickedFiles(e.dataTransfer?.files));
  });
}
