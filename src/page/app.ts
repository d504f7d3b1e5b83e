// The training app (index.html): trains one VAE, or two priors side by side, in a training
// worker (worker/train_worker.ts) while this thread only paints: the overlaid loss chart, the same
// test images reconstructed by every model, per-epoch prior samples, the epoch table. Runs are
// downloaded and loaded as one file (src/io/run_file.ts), also runs of the CLI. Exposes
// appState() and a few test hooks through window.tvaeApi.
//
// Where the GPU work runs: training (and its per-epoch reconstructions and samples) in the
// worker; the interactive views (latent explorer, synthetic scatter plots, Evaluate, the
// imputation playground) on a second device of this thread, fed with the weights the worker
// posts after every epoch. Those views are pointer-driven and draw into the DOM, and their GPU
// calls are asynchronous, so on this thread they cost only their short CPU parts, while moving
// them would put a message round trip in every pointer move.
import { DEFAULT_SIZES, subset, toFloatPixels, type Split } from '../data/split.ts';
import type { ImageSet } from '../data/idx_parse.ts';
import type { EpochStats, ImageBytes } from '../train/trainer.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import type { AdapterDescription } from '../gpu/device.ts';
import type { GpuContext } from '../gpu/context.ts';
import { trackBuffers, type BufferScope, type BufferStats } from '../gpu/buffer_stats.ts';
import { fail } from '../errors.ts';
import { exposeApi, startPage } from './api.ts';
import { loadMnistSplit } from './app_data.ts';
import { saveBytes, weightsFile } from './app_download.ts';
import { field, otherPrior, priorLabel, readEpochs, readSettings, SOFTWARE_TRAIN_LIMIT, SOFTWARE_VALID_LIMIT, toVaeConfig, writeSettings } from './app_form.ts';
import { checkLoadedRuns, loadedSpecs, runDirNames } from './app_runs.ts';
import { createView } from './app_view.ts';
import { evaluateInPage, type PageEvaluation } from './app_eval.ts';
import { PROTOCOL } from '../eval/protocol.ts';
import { SYNTHETIC, syntheticSplit, type PointSet, type SyntheticName } from '../data/synthetic.ts';
import { drawLiveScatter, type ScatterState } from './app_scatter.ts';
import { createLatentExplorer, type LatentExplorer } from './app_latent.ts';
import { createCompareChart } from './compare_chart.ts';
import { drawImages } from './app_images.ts';
import { createResponsivenessProbe } from './responsiveness.ts';
import { startTrainWorker } from './worker/client.ts';
import type { FromWorker, GpuBytes, ModelSpec, ViewImages, WorkerStatus } from './worker/protocol.ts';
import { encodeRunFile, readRunFile, type PickedFile, type RunData } from '../io/run_file.ts';
import { errorText } from './app_session.ts';
import { createPlayground, type Playground } from './playground/playground.ts';

type Status = 'loading' | 'ready' | WorkerStatus | 'unavailable';

interface ModelView {
  label: string;
  config: VaeConfig;
  history: EpochStats[];
  /** the weights after the last epoch the worker reported */
  params?: Float32Array;
  epoch: number;
  reconstructions?: Float32Array;
  samples?: Float32Array;
  sampleCount?: number;
}

const SPLIT_SEED = 0;
/** test images every model reconstructs after each epoch */
const VIEW_IMAGES = 8;
/** training points of a synthetic set on a software adapter (the lecture's 20,000-40,000 take minutes an epoch) */
const SOFTWARE_SYNTHETIC_LIMIT = 4000;

const view = createView();
const form = document.getElementById('settings') as HTMLFormElement;
const chart = createCompareChart(document.getElementById('chart')!);
const probe = createResponsivenessProbe();
let status: Status = 'loading';
let statusText = '';
let message: string | undefined;
let split: Split | undefined;
let workerAdapter: AdapterDescription | undefined;
let models: ModelView[] = [];
let running = false;
let target = 0;
let progress = { model: 0, epoch: 0, done: 0, steps: 0 };
/** what the current session trains on, as a run file records it */
let runData: RunData | undefined;
let viewImages: ViewImages | undefined;
let ctxForEval: GpuContext | undefined;
let mainBuffers: BufferStats | undefined;
let testImages = 0;
let evaluating = false;
let evaluations: PageEvaluation[] = [];
/** GPU buffer bytes of the training device after each model's epoch */
const gpuByEpoch: ({ model: number; epoch: number } & GpuBytes)[] = [];
const deviceLosses: string[] = [];
const recoveries: { ms: number; epochs: number[] }[] = [];
let loaded: { files: string; dirs: string[]; epochs: number[] } | undefined;
/** test images the playground offers */
const PLAYGROUND_IMAGES = 100;
let playground: Playground | undefined;
/** the synthetic set being trained on (its test points for the live scatter plots), if any */
let synthetic: { name: SyntheticName; test: Float32Array } | undefined;
let scatter: ScatterState | undefined;
let scatterBusy = false;
let explorer: LatentExplorer | undefined;
let explorerScope: BufferScope | undefined;
let explorerBusy = false;
/** what the imputation playground was last handed (see updatePlayground) */
let playgroundFeed: { label: string; epoch: number }[] = [];

const worker = startTrainWorker(onWorkerMessage);

function setStatus(s: Status, text: string): void {
  status = s;
  statusText = text;
  view.status(text);
  refreshButtons();
}

function setMessage(text: string | undefined): void {
  message = text;
  view.message(text);
}


const epochsDone = () => (models.length ? Math.min(...models.map((m) => m.epoch)) : 0);

function refreshButtons(): void {
  const ready = split !== undefined && workerAdapter !== undefined;
  const trained = models.length > 0 && epochsDone() > 0;
  view.buttons({
    train: ready && !running && !evaluating,
    stop: running && status !== 'stopping',
    resume: ready && models.length > 0 && !running && !evaluating,
    download: trained && !running && !evaluating,
    evaluate: trained && !running && !evaluating && !synthetic && !models.some((m) => m.config.classes),
  });
}

const bytes = (set: ImageSet): ImageBytes => ({ pixels: set.images.slice(), count: set.count, D: set.rows * set.cols, labels: set.labels.slice() });
const points = (p: PointSet, n: number): ImageBytes => {
  const v = p.values.slice(0, n * p.D);
  return { pixels: new Uint8Array(v.buffer), count: n, D: p.D, format: 'f32' };
};

function redraw(): void {
  chart.update(models);
  view.history(models, target);
  drawImages(document.getElementById('recon')!, document.getElementById('samples')!, viewImages, models);
}

/** Replaces the session's models; the views start empty (or from a loaded run's history). */
function setModels(specs: ModelSpec[], histories: EpochStats[][] = []): void {
  models = specs.map((s, i) => ({ label: s.label, config: s.config, history: histories[i]?.slice() ?? [], epoch: histories[i]?.length ?? 0 }));
  gpuByEpoch.length = 0;
  evaluations = [];
  document.getElementById('evaluation')!.replaceChildren();
  explorer?.destroy();
  explorer = undefined;
  explorerScope?.destroyAll();
  explorerScope = undefined;
  document.getElementById('latent')!.hidden = true;
  redraw();
}

/** The session's models: the form's, and with "side by side" the same one with the other prior. */
function modelSpecs(config: VaeConfig, compare: boolean, nu: number, multivariate: boolean): ModelSpec[] {
  const specs = [{ label: priorLabel(config), config }];
  if (compare) {
    const other = otherPrior(config, nu, multivariate);
    specs.push({ label: priorLabel(other), config: other });
  }
  return specs;
}

async function startSession(specs: ModelSpec[], data: { train: ImageBytes; valid: ImageBytes }, epochs: number): Promise<void> {
  running = true; // Stop is live at once: a Stop clicked right after Train stops after epoch 1
  target = epochs;
  probe.start();
  refreshButtons();
  const reply = await worker.request({ type: 'start', models: specs, data, views: viewImages, epochs, run: true });
  if (!reply.ok) {
    running = false;
    probe.stop();
    setMessage(reply.message);
    refreshButtons();
  }
}

function onTrain(): void {
  if (!split || !workerAdapter || running) return;
  try {
    const dataName = field(form, 'data').value;
    if (dataName.startsWith('synthetic:')) {
      const name = dataName.slice('synthetic:'.length) as SyntheticName;
      const sets = syntheticSplit(name, SPLIT_SEED);
      const s = readSettings(form, { train: sets.train.count, valid: sets.valid.count });
      const specs = modelSpecs(toVaeConfig(s, 2), s.compare, s.nu, s.multivariate);
      setMessage(undefined);
      synthetic = { name, test: sets.test.values.slice(0, 2 * 1000) };
      scatter = undefined;
      viewImages = undefined;
      runData = { source: dataName, splitSeed: SPLIT_SEED, sizes: [sets.train.count, sets.valid.count, sets.test.count], trainImages: s.limit, validImages: s.validLimit };
      setModels(specs);
      void startSession(specs, { train: points(sets.train, s.limit), valid: points(sets.valid, s.validLimit) }, s.epochs);
      return;
    }
    const s = readSettings(form, { train: split.train.count, valid: split.valid.count });
    const specs = modelSpecs(toVaeConfig(s, split.train.rows * split.train.cols), s.compare, s.nu, s.multivariate);
    setMessage(undefined);
    synthetic = undefined;
    document.getElementById('scatter')!.hidden = true;
    runData = { splitSeed: SPLIT_SEED, sizes: [...DEFAULT_SIZES], trainImages: s.limit, validImages: s.validLimit };
    setModels(specs);
    void startSession(specs, mnistData(s.limit, s.validLimit), s.epochs);
  } catch (e) {
    // invalid settings: one message, the previous run untouched
    setMessage(errorText(e));
  }
  refreshButtons();
}

function mnistData(limit: number, validLimit: number): { train: ImageBytes; valid: ImageBytes } {
  const sp = split!;
  const n = Math.min(VIEW_IMAGES, sp.test.count);
  viewImages = { x: toFloatPixels(sp.test, n), count: n, rows: sp.test.rows, cols: sp.test.cols, labels: Uint32Array.from(sp.test.labels.subarray(0, n)) };
  return { train: bytes(subset(sp.train, limit)), valid: bytes(subset(sp.valid, validLimit)) };
}

async function onResume(): Promise<void> {
  if (running || models.length === 0) return;
  let epochs: number;
  try {
    epochs = readEpochs(form);
  } catch (e) {
    setMessage(errorText(e));
    return;
  }
  running = true;
  probe.start();
  refreshButtons();
  const reply = await worker.request({ type: 'resume', epochs });
  if (reply.ok) {
    target = epochs;
    setMessage(undefined);
  } else {
    running = false;
    probe.stop();
    setMessage(reply.message);
  }
  refreshButtons();
}

/** The session as one run file: each model's run folder, under a folder named by its prior. */
async function runFile(): Promise<Uint8Array> {
  if (!runData) fail('no run to download: train or load one first');
  const reply = await worker.request({ type: 'export' });
  if (!reply.ok) fail(reply.message);
  const { models: specs, saved } = reply.exported!;
  const unique = runDirNames(specs.map((m) => m.label));
  return encodeRunFile(specs.map((m, i) => ({ dir: unique[i], content: { config: m.config, state: saved[i].state, history: saved[i].history, data: runData!, epochs: Math.max(target, saved[i].state.epoch), adapter: workerAdapter, kernels: saved[i].kernels } })));
}

async function onDownload(): Promise<void> {
  try {
    saveBytes(await runFile(), `tvae-run-epoch${epochsDone()}.tar`);
  } catch (e) {
    setMessage(errorText(e));
  }
}

/** Loads a run file (or a run folder's files): validated whole before anything changes. */
async function loadRun(picked: PickedFile[]): Promise<void> {
  const names = picked.map((p) => p.name).join(', ');
  try {
    if (running) fail('training is running: stop it before loading a run');
    if (!split || !workerAdapter) fail('the page is not ready yet (data or device still loading)');
    const runs = readRunFile(picked);
    checkLoadedRuns(runs, split, SPLIT_SEED);
    const first = runs[0].content.data;
    const specs = loadedSpecs(runs);
    const data = mnistData(first.trainImages, first.validImages);
    const epochs = Math.max(...runs.map((r) => r.content.state.epoch));
    const reply = await worker.request({ type: 'start', models: specs, data, views: viewImages, epochs, from: runs.map((r) => ({ state: r.content.state, history: r.content.history, kernels: r.content.kernels })), run: false });
    if (!reply.ok) fail(reply.message);
    synthetic = undefined;
    document.getElementById('scatter')!.hidden = true;
    runData = { splitSeed: SPLIT_SEED, sizes: [...DEFAULT_SIZES], trainImages: first.trainImages, validImages: first.validImages };
    target = epochs;
    loaded = { files: names, dirs: runs.map((r) => r.dir), epochs: runs.map((r) => r.content.state.epoch) };
    setModels(specs, runs.map((r) => r.content.history));
    writeSettings(form, runs[0].content.config, first, runs.length === 2, Math.max(...runs.map((r) => Math.max(r.content.epochs, r.content.state.epoch + 1))));
    syncModelFields();
    // a recorded kernel variant this adapter cannot run: its fallback runs, and the user is told
    setMessage(reply.warnings?.join('; '));
  } catch (e) {
    setMessage(`Cannot load ${names}: ${errorText(e)}`);
  }
  refreshButtons();
}

async function pickedFiles(list: FileList | null | undefined): Promise<PickedFile[]> {
  return Promise.all([...(list ?? [])].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

async function onEvaluate(): Promise<void> {
  if (!split || !ctxForEval || evaluating || running || !mainBuffers) return;
  evaluating = true;
  evaluations = [];
  setMessage(undefined);
  const before = { status, statusText };
  const out = document.getElementById('evaluation')!;
  out.replaceChildren();
  setStatus(status, `Evaluating on ${testImages.toLocaleString('en')} test images…`);
  try {
    for (const m of models) {
      if (!m.params) continue;
      const box = document.createElement('section');
      box.className = 'model-eval';
      out.append(box);
      // the evaluator has no destroy: its buffers go with the scope once the images are drawn
      const scope = mainBuffers.scope();
      try {
        evaluations.push(await evaluateInPage(ctxForEval, m.config, m.params, split.test, testImages, box));
      } finally {
        scope.destroyAll();
      }
      if (models.length > 1) box.querySelector('h2')!.textContent += `: ${m.label}`;
    }
    setStatus(before.status, `${before.statusText}; evaluated on ${testImages.toLocaleString('en')} test images`);
  } catch (e) {
    setMessage(`Evaluation failed: ${errorText(e)}`);
    setStatus(before.status, before.statusText);
  } finally {
    evaluating = false;
    refreshButtons();
  }
}

/** The t prior's options mean nothing for a Gaussian prior, unless it is compared with a t. */
function syncModelFields(): void {
  const t = field(form, 'model').value === 't';
  const compare = (field(form, 'compare') as HTMLInputElement).checked;
  field(form, 'nu').disabled = !t && !compare;
  field(form, 'multivariate').disabled = !t && !compare;
  if (t) field(form, 'posterior').value = 'diag';
  field(form, 'posterior').disabled = t;
}

/** Choosing a data set fills in its study's settings: the reference's for MNIST, the lecture's
 *  (Adam 1e-3, batch 32, [128, 128], latent 2, its epochs) for a synthetic set. */
function syncDataFields(software: boolean): void {
  const d = field(form, 'data').value;
  const set = (name: 'hidden' | 'latent' | 'batch' | 'lr' | 'optimizer' | 'epochs' | 'limit' | 'validLimit', v: string) => { field(form, name).value = v; };
  if (d.startsWith('synthetic:')) {
    const spec = SYNTHETIC[d.slice('synthetic:'.length) as SyntheticName];
    set('hidden', '128,128'); set('latent', '2'); set('batch', '32'); set('lr', '0.001'); set('optimizer', 'adam');
    set('epochs', String(software ? 10 : spec.epochs));
    set('limit', String(software ? SOFTWARE_SYNTHETIC_LIMIT : spec.train)); set('validLimit', '1000');
    document.getElementById('limit-note')!.textContent = `Points generated from the seeded formula: ${spec.train.toLocaleString('en')} training points and ${spec.epochs} epochs in the lecture${software ? `; this software adapter starts with ${SOFTWARE_SYNTHETIC_LIMIT.toLocaleString('en')} points and 10 epochs` : ''}. The scatter plots (first model) redraw after every epoch.`;
  } else {
    set('hidden', '400,128'); set('latent', '10'); set('batch', '500'); set('lr', '0.005'); set('optimizer', 'sgd'); set('epochs', '300');
    const [trainAll, validAll] = DEFAULT_SIZES;
    set('limit', String(software ? SOFTWARE_TRAIN_LIMIT : trainAll)); set('validLimit', String(software ? SOFTWARE_VALID_LIMIT : validAll));
  }
}

/** After an epoch on MNIST of a CVAE or a latent-2 model: rebuild the latent explorer (first model). */
async function updateExplorer(): Promise<void> {
  const m = models[0];
  if (synthetic || !split || !m?.params || !ctxForEval || !mainBuffers || explorerBusy) return;
  if (!m.config.classes && m.config.shape.latent !== 2) return;
  explorerBusy = true;
  try {
    const n = Math.min(1000, split.test.count);
    explorer?.destroy();
    explorerScope?.destroyAll(); // the previous explorer's evaluator
    explorerScope = mainBuffers.scope();
    explorer = await createLatentExplorer(ctxForEval, m.config, m.params, toFloatPixels(split.test, n), split.test.labels.subarray(0, n), split.test.rows, split.test.cols, document.getElementById('latent')!);
    explorerScope.close();
  } catch (e) {
    setMessage(`Latent explorer failed: ${errorText(e)}`);
  } finally {
    explorerBusy = false;
  }
}

/** After an epoch on a synthetic set: redraw the three scatter plots of the first model. */
// An epoch that ends while the plots are still drawing is not dropped: once the drawing ends, they
// are drawn again for the newest epoch (on a fast adapter the last epoch's plots were missing).
let scatterAgain = false;
async function updateScatter(): Promise<void> {
  if (scatterBusy) {
    scatterAgain = true;
    return;
  }
  const m = models[0];
  if (!synthetic || !m?.params || !ctxForEval || !mainBuffers) return;
  scatterBusy = true;
  scatterAgain = false;
  const scope = mainBuffers.scope();
  try {
    scatter = await drawLiveScatter(ctxForEval, m.config, m.params, synthetic.test, m.epoch, document.getElementById('scatter')!);
  } catch (e) {
    setMessage(`Scatter plots failed: ${errorText(e)}`);
  } finally {
    scope.destroyAll();
    scatterBusy = false;
  }
  if (scatterAgain && models[0]?.epoch !== scatter?.epoch) await updateScatter();
}

/** The imputation playground (src/page/playground/) takes every model's config and weights after
 *  each epoch and after a load. It imputes images with Bernoulli, unconditional models only: for
 *  other sessions it is hidden rather than handed models it refuses. */
function updatePlayground(): void {
  const root = document.getElementById('playground')!;
  const ready = models.filter((m) => m.params);
  const fits = !synthetic && ready.length > 0 && ready.every((m) => (m.config.likelihood?.kind ?? 'bernoulli') === 'bernoulli' && !m.config.classes);
  root.hidden = !playground || !fits;
  if (!playground || !fits) {
    playgroundFeed = [];
    return;
  }
  try {
    playground.setModels(ready.map((m) => ({ label: m.label, config: m.config, params: m.params! })));
    playgroundFeed = ready.map((m) => ({ label: m.label, epoch: m.epoch }));
  } catch (e) {
    setMessage(`Playground: ${errorText(e)}`);
  }
}

function onWorkerMessage(m: FromWorker): void {
  switch (m.type) {
    case 'ready':
      workerAdapter = m.adapter;
      refreshButtons();
      return;
    case 'fatal':
      setMessage(m.message);
      running = false;
      probe.stop();
      refreshButtons();
      return;
    case 'status':
      running = m.status === 'training' || m.status === 'stopping';
      if (!running) probe.stop();
      setStatus(m.status, m.text);
      view.perf(probe.state());
      return;
    case 'progress': {
      progress = { model: m.model, epoch: m.epoch, done: m.done, steps: m.steps };
      view.progress(models[m.model]?.label ?? '', m.epoch, target, m.done, m.steps);
      return;
    }
    case 'epoch': {
      const mv = models[m.model];
      if (!mv) return;
      // a loaded run's last epoch comes again with its weights: listed once
      if (m.stats.epoch === mv.history.length + 1) mv.history.push(m.stats);
      Object.assign(mv, { params: m.params, epoch: m.stats.epoch, reconstructions: m.reconstructions, samples: m.samples, sampleCount: m.sampleCount });
      gpuByEpoch.push({ model: m.model, epoch: m.stats.epoch, ...m.gpu });
      redraw();
      view.perf(probe.state());
      // once every model has this epoch: the first model's explorer or scatter, and the playground
      if (models.every((x) => x.epoch === mv.epoch)) {
        void updateScatter();
        void updateExplorer();
        updatePlayground();
      }
      return;
    }
    case 'error':
      setMessage(m.message);
      return;
    case 'deviceLost':
      deviceLosses.push(m.message);
      view.deviceNote(m.message);
      return;
    case 'deviceRestored':
      recoveries.push({ ms: m.ms, epochs: m.epochs });
      view.deviceNote(`The WebGPU device was lost; a new one was ready after ${Math.round(m.ms)} ms and training went on from epoch ${Math.min(...m.epochs)} (${deviceLosses.length} loss${deviceLosses.length === 1 ? '' : 'es'} so far).`);
      return;
  }
}

exposeApi({
  async appState() {
    return {
      status,
      statusText,
      message,
      running,
      dataReady: split !== undefined && workerAdapter !== undefined,
      epochsDone: epochsDone(),
      history: models[0]?.history ?? [],
      last: models[0]?.history.at(-1),
      models: models.map((m) => ({ label: m.label, config: m.config, history: m.history, epoch: m.epoch, hasSamples: m.samples !== undefined, hasReconstructions: m.reconstructions !== undefined })),
      target,
      progress,
      evaluating,
      evaluation: evaluations[0],
      evaluations,
      scatter,
      explorer: explorer?.state(),
      gpu: { training: gpuByEpoch, main: mainBuffers?.live() },
      deviceLosses,
      recoveries,
      responsiveness: probe.state(),
      loaded,
      playground: playgroundFeed,
      playgroundState: playground?.state(),
    };
  },
  /** the first model's weights.safetensors (as the CLI writes it) */
  async weightsFile() {
    const m = models[0];
    if (!m?.params) fail('no trained model yet');
    return weightsFile(m.config, m.params, m.epoch);
  },
  /** the bytes the Download button saves */
  async runFile() {
    return runFile();
  },
  /** test hook: the training device is destroyed in epoch `epoch` (after its training steps) */
  async loseDevice(a: { epoch: number }) {
    if (!Number.isInteger(a.epoch) || a.epoch < 1) fail(`loseDevice: epoch must be an integer >= 1, got ${a.epoch}`);
    worker.post({ type: 'loseDevice', epoch: a.epoch });
    return true;
  },
});

form.addEventListener('submit', (e) => e.preventDefault());
field(form, 'model').addEventListener('change', syncModelFields);
field(form, 'compare').addEventListener('change', syncModelFields);
syncModelFields();
document.getElementById('train')!.addEventListener('click', onTrain);
document.getElementById('stop')!.addEventListener('click', () => worker.post({ type: 'stop' }));
document.getElementById('resume')!.addEventListener('click', () => void onResume());
document.getElementById('download')!.addEventListener('click', () => void onDownload());
document.getElementById('evaluate')!.addEventListener('click', () => void onEvaluate());
const fileInput = document.getElementById('load-file') as HTMLInputElement;
fileInput.addEventListener('change', async () => {
  await loadRun(await pickedFiles(fileInput.files));
  fileInput.value = ''; // the same file picked again loads again
});
const drop = document.getElementById('drop')!;
drop.addEventListener('dragover', (e) => {
  e.preventDefault(); // without it the browser opens the dropped file instead
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', async (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  await loadRun(await pickedFiles(e.dataTransfer?.files));
});

const started = await startPage();
if (!started) {
  view.noWebGpu(window.tvaeReady?.error ?? '');
  setStatus('unavailable', 'Training needs WebGPU.');
} else {
  const { ctx, adapter } = started;
  ctxForEval = ctx;
  mainBuffers = trackBuffers(ctx.device);
  view.adapter(adapter);
  ctx.device.addEventListener('uncapturederror', (e) => setMessage(`WebGPU error: ${(e as GPUUncapturedErrorEvent).error.message}`));
  void ctx.device.lost.then((info) => {
    // the views' device; training has its own in the worker and goes on
    setMessage(`The page's WebGPU device for the views was lost (${info.message || info.reason}); training goes on, reload the page for the views.`);
    ctxForEval = undefined;
    refreshButtons();
  });
  field(form, 'data').addEventListener('change', () => syncDataFields(adapter.isSoftware));
  // a software adapter (SwiftShader) runs an epoch of all 55,000 images in many minutes
  const [trainAll, validAll] = DEFAULT_SIZES;
  field(form, 'limit').value = String(adapter.isSoftware ? SOFTWARE_TRAIN_LIMIT : trainAll);
  field(form, 'validLimit').value = String(adapter.isSoftware ? SOFTWARE_VALID_LIMIT : validAll);
  document.getElementById('limit-note')!.textContent = adapter.isSoftware
    ? `This is a software adapter (no GPU acceleration), so the page trains on the first ${SOFTWARE_TRAIN_LIMIT.toLocaleString('en')} of ${trainAll.toLocaleString('en')} training images and validates on ${SOFTWARE_VALID_LIMIT} to keep an epoch short; raise the limits to use more.`
    : `All ${trainAll.toLocaleString('en')} training and ${validAll.toLocaleString('en')} validation images.`;
  setStatus('loading', 'Loading MNIST (55 MB)…');
  try {
    const t0 = performance.now();
    split = await loadMnistSplit(SPLIT_SEED);
    // the protocol's 30 draws per image over 10,000 images take minutes on a software adapter
    testImages = adapter.isSoftware ? PROTOCOL.softwareTestImages : split.test.count;
    try {
      playground = createPlayground(document.getElementById('playground')!, ctx);
      const n = Math.min(PLAYGROUND_IMAGES, split.test.count);
      playground.setImages({ pixels: toFloatPixels(split.test, n), count: n, D: split.test.rows * split.test.cols });
      document.getElementById('playground')!.hidden = true; // until a model has weights
    } catch (e) {
      setMessage(`The imputation playground could not start: ${errorText(e)}`);
    }
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    try {
      await worker.ready;
    } catch (e) {
      fail(`the training worker has no WebGPU device: ${errorText(e)}`);
    }
    setStatus('ready', `Ready: ${split.train.count.toLocaleString('en')} training, ${split.valid.count.toLocaleString('en')} validation images (split seed ${SPLIT_SEED}, loaded in ${secs} s). Press Train, or drop a run file.`);
  } catch (e) {
    setMessage(`Could not start: ${errorText(e)}`);
    setStatus('error', 'No data or no training device.');
  }
}
