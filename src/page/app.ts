// The training app (index.html): a user trains the Gaussian or t-prior VAE on MNIST in the tab.
// Wires the form, the session and the view together, and exposes appState() for tests.
import { DEFAULT_SIZES, subset, toFloatPixels, type Split } from '../data/split.ts';
import type { ImageSet } from '../data/idx_parse.ts';
import type { ImageBytes } from '../train/trainer.ts';
import { exposeApi, startPage } from './api.ts';
import { loadMnistSplit } from './app_data.ts';
import { saveBytes, weightsFile } from './app_download.ts';
import { field, readEpochs, readSettings, SOFTWARE_TRAIN_LIMIT, SOFTWARE_VALID_LIMIT, toVaeConfig } from './app_form.ts';
import { createSession, errorText, type Session, type Status } from './app_session.ts';
import { createView } from './app_view.ts';
import { evaluateInPage, type PageEvaluation } from './app_eval.ts';
import { PROTOCOL } from '../eval/protocol.ts';
import type { GpuContext } from '../gpu/context.ts';
import { SYNTHETIC, syntheticSplit, type PointSet, type SyntheticName } from '../data/synthetic.ts';
import { drawLiveScatter, type ScatterState } from './app_scatter.ts';
import { createLatentExplorer, type LatentExplorer } from './app_latent.ts';

const SPLIT_SEED = 0;
const view = createView();
const form = document.getElementById('settings') as HTMLFormElement;
let status: Status = 'loading';
let statusText = '';
let message: string | undefined;
let split: Split | undefined;
let session: Session | undefined;
let progress = { epoch: 0, done: 0, steps: 0 };
let ctxForEval: GpuContext | undefined;
let testImages = 0;
let evaluating = false;
let evaluation: PageEvaluation | undefined;
/** the synthetic set being trained on (its test points for the live scatter plots), if any */
let synthetic: { name: SyntheticName; test: Float32Array } | undefined;
let scatter: ScatterState | undefined;
let scatterBusy = false;
let explorer: LatentExplorer | undefined;
let explorerBusy = false;
/** training points of a synthetic set on a software adapter (the lecture's 20,000-40,000 take minutes an epoch) */
const SOFTWARE_SYNTHETIC_LIMIT = 4000;

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
  const running = session?.running ?? false;
  const trained = (session?.trainer?.epoch ?? 0) > 0;
  view.buttons({
    train: split !== undefined && session !== undefined && !running && !evaluating,
    stop: running && status !== 'stopping',
    resume: session?.trainer !== undefined && !running,
    download: trained && !running && !evaluating,
    evaluate: trained && !running && !evaluating && !synthetic && !session?.config?.classes,
  });
}

const bytes = (set: ImageSet): ImageBytes => ({ pixels: set.images, count: set.count, D: set.rows * set.cols, labels: set.labels });
const points = (p: PointSet, n: number): ImageBytes => {
  const v = p.values.slice(0, n * p.D);
  return { pixels: new Uint8Array(v.buffer), count: n, D: p.D, format: 'f32' };
};

function onTrain(): void {
  if (!split || !session) return;
  try {
    explorer?.destroy();
    explorer = undefined;
    document.getElementById('latent')!.hidden = true;
    const dataName = field(form, 'data').value;
    if (dataName.startsWith('synthetic:')) {
      const name = dataName.slice('synthetic:'.length) as SyntheticName;
      const sets = syntheticSplit(name, SPLIT_SEED);
      const s = readSettings(form, { train: sets.train.count, valid: sets.valid.count });
      const config = toVaeConfig(s, 2);
      setMessage(undefined);
      progress = { epoch: 0, done: 0, steps: 0 };
      synthetic = { name, test: sets.test.values.slice(0, 2 * 1000) };
      scatter = undefined;
      session.start(config, { train: points(sets.train, s.limit), valid: points(sets.valid, s.validLimit) }, s.epochs);
      refreshButtons();
      return;
    }
    synthetic = undefined;
    document.getElementById('scatter')!.hidden = true;
    const s = readSettings(form, { train: split.train.count, valid: split.valid.count });
    const config = toVaeConfig(s, split.train.rows * split.train.cols);
    setMessage(undefined);
    progress = { epoch: 0, done: 0, steps: 0 };
    session.start(config, { train: bytes(subset(split.train, s.limit)), valid: bytes(subset(split.valid, s.validLimit)) }, s.epochs);
  } catch (e) {
    // invalid settings (or a model the trainer refuses): one message, the previous run untouched
    setMessage(errorText(e));
  }
  refreshButtons();
}

function onResume(): void {
  if (!session) return;
  try {
    session.resume(readEpochs(form));
    setMessage(undefined);
  } catch (e) {
    setMessage(errorText(e));
  }
  refreshButtons();
}

async function onDownload(): Promise<void> {
  const trainer = session?.trainer, config = session?.config;
  if (!trainer || !config) return;
  try {
    saveBytes(await weightsFile(trainer, config), 'weights.safetensors');
  } catch (e) {
    setMessage(errorText(e));
  }
}

async function onEvaluate(): Promise<void> {
  const trainer = session?.trainer, config = session?.config;
  if (!trainer || !config || !split || !ctxForEval || evaluating) return;
  evaluating = true;
  evaluation = undefined;
  setMessage(undefined);
  const before = { status, statusText };
  setStatus(status, `Evaluating on ${testImages.toLocaleString('en')} test images…`);
  try {
    const { params } = await trainer.exportState();
    evaluation = await evaluateInPage(ctxForEval, config, params, split.test, testImages, document.getElementById('evaluation')!);
    setStatus(before.status, `${before.statusText}; evaluated on ${testImages.toLocaleString('en')} test images`);
  } catch (e) {
    setMessage(`Evaluation failed: ${errorText(e)}`);
    setStatus(before.status, before.statusText);
  } finally {
    evaluating = false;
    refreshButtons();
  }
}

/** The t prior's options mean nothing for the Gaussian prior: greyed out there. */
function syncModelFields(): void {
  const t = field(form, 'model').value === 't';
  field(form, 'nu').disabled = !t;
  field(form, 'multivariate').disabled = !t;
  if (t) field(form, 'posterior').value = 'diag';
  field(form, 'posterior').disabled = t;
}

/** Choosing a data set fills in its study's settings: the reference's for MNIST, the lecture's
 *  (Adam 1e-3, batch 32, [128, 128], latent 2, its epochs) for a synthetic set. The Evaluate
 *  button's imputation protocol is for images. */
function syncDataFields(software: boolean): void {
  const d = field(form, 'data').value;
  const set = (name: 'hidden' | 'latent' | 'batch' | 'lr' | 'optimizer' | 'epochs' | 'limit' | 'validLimit', v: string) => { field(form, name).value = v; };
  if (d.startsWith('synthetic:')) {
    const spec = SYNTHETIC[d.slice('synthetic:'.length) as SyntheticName];
    set('hidden', '128,128'); set('latent', '2'); set('batch', '32'); set('lr', '0.001'); set('optimizer', 'adam');
    set('epochs', String(software ? 10 : spec.epochs));
    set('limit', String(software ? SOFTWARE_SYNTHETIC_LIMIT : spec.train)); set('validLimit', '1000');
    document.getElementById('limit-note')!.textContent = `Points generated from the seeded formula: ${spec.train.toLocaleString('en')} training points and ${spec.epochs} epochs in the lecture${software ? `; this software adapter starts with ${SOFTWARE_SYNTHETIC_LIMIT.toLocaleString('en')} points and 10 epochs` : ''}. The scatter plots redraw after every epoch.`;
  } else {
    set('hidden', '400,128'); set('latent', '10'); set('batch', '500'); set('lr', '0.005'); set('optimizer', 'sgd'); set('epochs', '300');
    const [trainAll, validAll] = DEFAULT_SIZES;
    set('limit', String(software ? SOFTWARE_TRAIN_LIMIT : trainAll)); set('validLimit', String(software ? SOFTWARE_VALID_LIMIT : validAll));
  }
}

/** After an epoch on MNIST of a CVAE or a latent-2 model: rebuild the latent explorer. */
async function updateExplorer(): Promise<void> {
  const trainer = session?.trainer, config = session?.config;
  if (synthetic || !split || !trainer || !config || !ctxForEval || explorerBusy) return;
  if (!config.classes && config.shape.latent !== 2) return;
  explorerBusy = true;
  try {
    const { params } = await trainer.exportState();
    const n = Math.min(1000, split.test.count);
    explorer?.destroy();
    explorer = await createLatentExplorer(ctxForEval, config, params, toFloatPixels(split.test, n), split.test.labels.subarray(0, n), split.test.rows, split.test.cols, document.getElementById('latent')!);
  } catch (e) {
    setMessage(`Latent explorer failed: ${errorText(e)}`);
  } finally {
    explorerBusy = false;
  }
}

/** After an epoch on a synthetic set: redraw the three scatter plots (one redraw at a time). */
async function updateScatter(epoch: number): Promise<void> {
  const trainer = session?.trainer, config = session?.config;
  if (!synthetic || !trainer || !config || !ctxForEval || scatterBusy) return;
  scatterBusy = true;
  try {
    const { params } = await trainer.exportState();
    scatter = await drawLiveScatter(ctxForEval, config, params, synthetic.test, epoch, document.getElementById('scatter')!);
  } catch (e) {
    setMessage(`Scatter plots failed: ${errorText(e)}`);
  } finally {
    scatterBusy = false;
  }
}

exposeApi({
  async appState() {
    return {
      status,
      statusText,
      message,
      running: session?.running ?? false,
      dataReady: split !== undefined,
      epochsDone: session?.trainer?.epoch ?? 0,
      history: session?.history ?? [],
      last: session?.history.at(-1),
      progress,
      evaluating,
      evaluation,
      scatter,
      explorer: explorer?.state(),
    };
  },
  async weightsFile() {
    const trainer = session?.trainer, config = session?.config;
    if (!trainer || !config) throw new Error('no trained model yet');
    return weightsFile(trainer, config);
  },
});

form.addEventListener('submit', (e) => e.preventDefault());
field(form, 'model').addEventListener('change', syncModelFields);
syncModelFields();
document.getElementById('train')!.addEventListener('click', onTrain);
document.getElementById('stop')!.addEventListener('click', () => session?.stop());
document.getElementById('resume')!.addEventListener('click', onResume);
document.getElementById('download')!.addEventListener('click', () => void onDownload());
document.getElementById('evaluate')!.addEventListener('click', () => void onEvaluate());

const started = await startPage();
if (!started) {
  view.noWebGpu(window.tvaeReady?.error ?? '');
  setStatus('unavailable', 'Training needs WebGPU.');
} else {
  const { ctx, adapter } = started;
  ctxForEval = ctx;
  view.adapter(adapter);
  ctx.device.addEventListener('uncapturederror', (e) => setMessage(`WebGPU error: ${(e as GPUUncapturedErrorEvent).error.message}`));
  void ctx.device.lost.then((info) => {
    setMessage(`The WebGPU device was lost (${info.message || info.reason}); reload the page to train again.`);
    split = undefined;
    refreshButtons();
  });
  session = createSession(ctx, {
    status: setStatus,
    progress(epoch, done, steps) {
      progress = { epoch, done, steps };
      view.progress(epoch, session?.target ?? 0, done, steps);
    },
    epoch: (history) => {
      view.history(history, session?.target ?? 0);
      void updateScatter(history.length);
      void updateExplorer();
    },
    error: setMessage,
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
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    setStatus('ready', `Ready: ${split.train.count.toLocaleString('en')} training, ${split.valid.count.toLocaleString('en')} validation images (split seed ${SPLIT_SEED}, loaded in ${secs} s). Press Train.`);
  } catch (e) {
    setMessage(`Could not load MNIST: ${errorText(e)}`);
    setStatus('error', 'No data.');
  }
}
