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
import { DEFAULT_SIZES, type Split } from '../data/split.ts';
import type { EpochStats, ImageBytes } from '../train/trainer.ts';
import type { AdapterDescription } from '../gpu/device.ts';
import type { GpuContext } from '../gpu/context.ts';
import { trackBuffers, type BufferStats } from '../gpu/buffer_stats.ts';
import { fail } from '../errors.ts';
import { exposeApi, startPage } from './api.ts';
import { loadMnistSplit } from './app_data.ts';
import { mnistData, planFromForm } from './app_plan.ts';
import { saveBytes, weightsFile } from './app_download.ts';
import { adapterLimits, field, readEpochs, syncDataFields, syncModelFields, writeSettings } from './app_form.ts';
import { exportRunFile, onRunFiles, readLoadableRuns } from './app_runs.ts';
import { createView } from './app_view.ts';
import { evaluateModels, type PageEvaluation } from './app_eval.ts';
import { PROTOCOL } from '../eval/protocol.ts';
import type { SyntheticName } from '../data/synthetic.ts';
import { createLiveScatter } from './app_scatter.ts';
import { createExplorerSlot } from './app_latent.ts';
import { createCompareChart } from './compare_chart.ts';
import { drawImages } from './app_images.ts';
import { createResponsivenessProbe } from './responsiveness.ts';
import { startTrainWorker } from './worker/client.ts';
import type { FromWorker, GpuBytes, ModelSpec, ViewImages, WorkerStatus } from './worker/protocol.ts';
import type { PickedFile, RunData } from '../io/run_file.ts';
import { errorText } from './app_session.ts';
import type { Playground } from './playground/playground.ts';
import { feedPlayground, startPlayground } from './playground/feed.ts';
import { epochsDone, modelSummary, modelViews, takeEpoch, type ModelView } from './app_models.ts';

type Status = 'loading' | 'ready' | WorkerStatus | 'unavailable';

const SPLIT_SEED = 0;

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
const onViewError = (what: string) => (e: unknown) => setMessage(`${what} failed: ${errorText(e)}`);
// the first model's live views, drawn on this thread's device after each epoch
const firstModel = () => (models[0]?.params && ctxForEval && mainBuffers ? { ctx: ctxForEval, buffers: mainBuffers, config: models[0].config, params: models[0].params, epoch: models[0].epoch } : undefined);
const scatter = createLiveScatter(document.getElementById('scatter')!, () => (synthetic && firstModel() ? { ...firstModel()!, test: synthetic.test } : undefined), onViewError('Scatter plots'));
const explorer = createExplorerSlot(document.getElementById('latent')!, () => (!synthetic && split && firstModel() ? { ...firstModel()!, test: split.test } : undefined), onViewError('Latent explorer'));
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

function refreshButtons(): void {
  const ready = split !== undefined && workerAdapter !== undefined;
  const trained = models.length > 0 && epochsDone(models) > 0;
  view.buttons({
    train: ready && !running && !evaluating,
    stop: running && status !== 'stopping',
    resume: ready && models.length > 0 && !running && !evaluating,
    download: trained && !running && !evaluating,
    evaluate: trained && !running && !evaluating && !synthetic && !models.some((m) => m.config.classes),
  });
}

function redraw(): void {
  chart.update(models);
  view.history(models, target);
  drawImages(document.getElementById('recon')!, document.getElementById('samples')!, viewImages, models);
}

/** Replaces the session's models; the views start empty (or from a loaded run's history). */
function setModels(specs: ModelSpec[], histories: EpochStats[][] = []): void {
  models = modelViews(specs, histories);
  gpuByEpoch.length = 0;
  evaluations = [];
  document.getElementById('evaluation')!.replaceChildren();
  explorer.clear();
  redraw();
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
    const plan = planFromForm(form, split, SPLIT_SEED);
    setMessage(undefined);
    synthetic = plan.synthetic;
    if (synthetic) scatter.reset();
    else document.getElementById('scatter')!.hidden = true;
    viewImages = plan.views;
    runData = plan.runData;
    setModels(plan.specs);
    void startSession(plan.specs, plan.data, plan.epochs);
  } catch (e) {
    // invalid settings: one message, the previous run untouched
    setMessage(errorText(e));
  }
  refreshButtons();
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

const runFile = () => exportRunFile(worker, runData, target, workerAdapter);

async function onDownload(): Promise<void> {
  try {
    saveBytes(await runFile(), `tvae-run-epoch${epochsDone(models)}.tar`);
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
    const { runs, specs, data: first, epochs, formEpochs, from } = readLoadableRuns(picked, split, SPLIT_SEED);
    const { data, views } = mnistData(split, first.trainImages, first.validImages);
    viewImages = views;
    const reply = await worker.request({ type: 'start', models: specs, data, views, epochs, from, run: false });
    if (!reply.ok) fail(reply.message);
    synthetic = undefined;
    document.getElementById('scatter')!.hidden = true;
    runData = { splitSeed: SPLIT_SEED, sizes: [...DEFAULT_SIZES], trainImages: first.trainImages, validImages: first.validImages };
    target = epochs;
    loaded = { files: names, dirs: runs.map((r) => r.dir), epochs: runs.map((r) => r.content.state.epoch) };
    setModels(specs, runs.map((r) => r.content.history));
    writeSettings(form, runs[0].content.config, first, runs.length === 2, formEpochs);
    syncModelFields(form);
    // a recorded kernel variant this adapter cannot run: its fallback runs, and the user is told
    setMessage(reply.warnings?.join('; '));
  } catch (e) {
    setMessage(`Cannot load ${names}: ${errorText(e)}`);
  }
  refreshButtons();
}

async function onEvaluate(): Promise<void> {
  if (!split || !ctxForEval || evaluating || running || !mainBuffers) return;
  evaluating = true;
  evaluations = [];
  setMessage(undefined);
  const before = { status, statusText };
  setStatus(status, `Evaluating on ${testImages.toLocaleString('en')} test images…`);
  try {
    await evaluateModels(ctxForEval, mainBuffers, models, split.test, testImages, document.getElementById('evaluation')!, evaluations);
    setStatus(before.status, `${before.statusText}; evaluated on ${testImages.toLocaleString('en')} test images`);
  } catch (e) {
    setMessage(`Evaluation failed: ${errorText(e)}`);
    setStatus(before.status, before.statusText);
  } finally {
    evaluating = false;
    refreshButtons();
  }
}

/** The imputation playground (src/page/playground/feed.ts) after each epoch and after a load. */
function updatePlayground(): void {
  try {
    playgroundFeed = feedPlayground(playground, document.getElementById('playground')!, models, synthetic !== undefined);
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
      if (!models[m.model]) return;
      const all = takeEpoch(models, m);
      gpuByEpoch.push({ model: m.model, epoch: m.stats.epoch, ...m.gpu });
      redraw();
      view.perf(probe.state());
      // once every model has this epoch: the first model's explorer or scatter, and the playground
      if (all) {
        void scatter.update();
        void explorer.update();
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
      epochsDone: epochsDone(models),
      history: models[0]?.history ?? [],
      last: models[0]?.history.at(-1),
      models: models.map(modelSummary),
      target,
      progress,
      evaluating,
      evaluation: evaluations[0],
      evaluations,
      scatter: scatter.state(),
      explorer: explorer.state(),
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
field(form, 'model').addEventListener('change', () => syncModelFields(form));
field(form, 'compare').addEventListener('change', () => syncModelFields(form));
syncModelFields(form);
view.onClick({ train: onTrain, stop: () => worker.post({ type: 'stop' }), resume: () => void onResume(), download: () => void onDownload(), evaluate: () => void onEvaluate() });
onRunFiles(document.getElementById('load-file') as HTMLInputElement, document.getElementById('drop')!, loadRun);

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
  const note = document.getElementById('limit-note')!;
  field(form, 'data').addEventListener('change', () => syncDataFields(form, adapter.isSoftware, note));
  adapterLimits(form, adapter.isSoftware, note);
  setStatus('loading', 'Loading MNIST (55 MB)…');
  try {
    const t0 = performance.now();
    split = await loadMnistSplit(SPLIT_SEED);
    // the protocol's 30 draws per image over 10,000 images take minutes on a software adapter
    testImages = adapter.isSoftware ? PROTOCOL.softwareTestImages : split.test.count;
    try {
      playground = startPlayground(document.getElementById('playground')!, ctx, split.test, PLAYGROUND_IMAGES);
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
