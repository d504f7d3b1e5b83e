// The page's training worker: a dedicated module Worker that owns the GPU device the page trains
// on, so that the GPU work and its CPU-side encoding never run on the page's main thread (which
// only paints). It trains one model or two side by side, interleaved epoch by epoch on the one
// device; after each model's epoch it posts the stats, a copy of the weights and, for images, the
// reconstructions of the view images and fixed prior draws. On device loss it gets a new device
// and rebuilds every trainer from its last finished epoch's state, then goes on.
/// <reference lib="webworker" />
import { pageKernelTable } from '../tune_store.ts';
import { createGpuContext, type GpuContext } from '../../gpu/context.ts';
import { adapterCaps, requestTvaeDevice, type AdapterDescription } from '../../gpu/device.ts';
import { trackBuffers, type BufferScope, type BufferStats } from '../../gpu/buffer_stats.ts';
import { createTrainer, type EpochStats, type ImageBytes, type Trainer, type TrainerState } from '../../train/trainer.ts';
import { createBoundEvaluator } from '../../eval/bounds.ts';
import { fail } from '../../errors.ts';
import { KERNEL_FAMILIES } from '../../kernels/families.ts';
import { describeChoices } from '../../tune/table.ts';
import { kernelRecord, unfitRecorded, type KernelRecord } from '../../tune/record.ts';
import { shaderLibrary } from '../shaders.ts';
import type { FromWorker, ModelSpec, SavedModel, ToWorker, ViewImages, WorkerStatus } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: FromWorker, transfer: Transferable[] = []) => self.postMessage(m, transfer);
const text = (e: unknown) => (e instanceof Error ? (e.name === 'TvaeError' ? e.message : `${e.name}: ${e.message}`) : String(e));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** prior draws per model shown after each epoch (an 8 x 2 grid) */
const SAMPLES = 16;

interface Gpu {
  device: GPUDevice;
  ctx: GpuContext;
  buffers: BufferStats;
  adapter: AdapterDescription;
}

interface Session {
  models: ModelSpec[];
  data: { train: ImageBytes; valid: ImageBytes };
  views?: ViewImages;
  trainers: Trainer[];
  /** the state after each model's last finished epoch: what a lost device is rebuilt from */
  last: (TrainerState | undefined)[];
  histories: EpochStats[][];
  /** the trainers' buffers, destroyed when the session is replaced (the trainer has no destroy) */
  scope: BufferScope;
  target: number;
  /** the kernel variants the trainers built: forced again on a new device, and exported */
  kernels: KernelRecord;
}

let gpu: Gpu | undefined;
/** bumped on every device loss: work started under an older generation is redone */
let generation = 0;
let recovering: Promise<void> | undefined;
let session: Session | undefined;
let loop: Promise<void> | undefined;
let stopRequested = false;
/** test hook: destroy the device at the first progress report of this epoch or a later one */
let loseAtEpoch: number | undefined;

async function acquire(): Promise<Gpu> {
  const { device, adapter } = await requestTvaeDevice(navigator.gpu);
  const buffers = trackBuffers(device);
  const g: Gpu = { device, ctx: createGpuContext(device, shaderLibrary, adapterCaps(adapter), pageKernelTable()), buffers, adapter };
  device.addEventListener('uncapturederror', (e) => {
    if (gpu?.device === device) console.error(`WebGPU error: ${(e as GPUUncapturedErrorEvent).error.message}`);
  });
  void device.lost.then((info) => {
    if (gpu?.device !== device) return;
    generation++;
    recovering = recover(`${info.message || 'no message'} (reason: ${info.reason ?? 'unknown'})`);
  });
  return g;
}

const FAMILIES = KERNEL_FAMILIES;

/** The variants a loaded run's trainers must build: every model's record together (a run without
 *  one trained on every fallback). Two models of one file share a table, so their records must
 *  agree; none of them is a new run, so nothing is tuned. */
function loadedKernels(from: SavedModel[]): Record<string, string> {
  const all: Record<string, string> = {};
  for (const m of from) {
    for (const [key, name] of Object.entries(m.kernels?.choices ?? {})) {
      if (all[key] !== undefined && all[key] !== name) fail(`the loaded runs were trained with different kernel variants for ${key} (${all[key]}, ${name}): load them one at a time`);
      all[key] = name;
    }
  }
  return all;
}

/** Builds the session's trainers on the current device, each from its state (or fresh at epoch 0),
 *  with the kernel variants `pinned` when given (a loaded run, or a session rebuilt on a new
 *  device), else the table's choices; returns the variants built. */
function buildTrainers(g: Gpu, models: ModelSpec[], data: Session['data'], states: (TrainerState | undefined)[], pinned?: Record<string, string>): { trainers: Trainer[]; scope: BufferScope; kernels: KernelRecord } {
  g.ctx.kernels.pinned = pinned;
  g.ctx.kernels.used.clear();
  const scope = g.buffers.scope();
  try {
    const trainers = models.map((m, i) => {
      const t = createTrainer(g.ctx, m.config, data);
      const s = states[i];
      if (s) t.importState(s);
      return t;
    });
    scope.close();
    const kernels = kernelRecord(g.ctx.caps, Object.fromEntries(g.ctx.kernels.used));
    console.info(describeChoices(g.ctx.kernels));
    return { trainers, scope, kernels };
  } catch (e) {
    scope.destroyAll(); // a model the trainer refuses leaves nothing behind
    throw e;
  }
}

async function recover(why: string): Promise<void> {
  post({ type: 'deviceLost', message: `The WebGPU device was lost: ${why}. Getting a new one and continuing from the last finished epoch…` });
  const t0 = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      gpu = await acquire();
      break;
    } catch (e) {
      if (attempt >= 5) {
        post({ type: 'fatal', message: `The WebGPU device was lost and no new one could be had (${text(e)}); reload the page.` });
        throw e;
      }
      await sleep(500 * attempt);
    }
  }
  if (session) {
    const built = buildTrainers(gpu, session.models, session.data, session.last, session.kernels.choices);
    session.trainers = built.trainers;
    session.scope = built.scope;
  }
  post({ type: 'deviceRestored', ms: performance.now() - t0, epochs: session?.last.map((s) => s?.epoch ?? 0) ?? [], adapter: gpu.adapter });
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** The view images' reconstructions and fixed prior draws, as values in [0, 1]. A fresh evaluator
 *  each epoch starts its noise counter at the same place, so every epoch decodes the same draws;
 *  its buffers are freed at once. */
async function decodeViews(g: Gpu, config: ModelSpec['config'], params: Float32Array, v: ViewImages): Promise<{ reconstructions: Float32Array; samples: Float32Array }> {
  const scope = g.buffers.scope();
  try {
    const ev = createBoundEvaluator(g.ctx, config, params, SAMPLES);
    const sampleLabels = config.classes ? Uint32Array.from({ length: SAMPLES }, (_, i) => i % config.classes!) : undefined;
    const recon = await ev.reconstruct(v.x, v.count, config.classes ? v.labels : undefined);
    const samples = await ev.generate(SAMPLES, sampleLabels);
    const toUnit = config.likelihood?.kind === 'gaussian' ? (x: number) => Math.min(1, Math.max(0, x)) : sigmoid;
    return { reconstructions: recon.map(toUnit), samples: samples.map(toUnit) };
  } finally {
    scope.destroyAll();
  }
}

function status(s: WorkerStatus, t: string): void {
  post({ type: 'status', status: s, text: t });
}

/** Waits for a device loss to show itself after a failed GPU call: its rejection and the lost
 *  promise come in no fixed order. */
async function lostMeanwhile(since: number): Promise<boolean> {
  if (generation !== since) return true;
  await Promise.race([gpu?.device.lost, sleep(500)]);
  return generation !== since;
}

/** One epoch of model i, redone on a new device if the device is lost on the way. */
async function modelEpoch(s: Session, i: number): Promise<void> {
  for (;;) {
    const since = generation;
    try {
      const g = gpu!;
      const stats = await s.trainers[i].runEpoch((done, steps) => {
        const epoch = s.trainers[i].epoch + 1;
        post({ type: 'progress', model: i, epoch, done, steps });
        if (loseAtEpoch !== undefined && epoch >= loseAtEpoch) {
          loseAtEpoch = undefined;
          g.device.destroy();
        }
      });
      const state = await s.trainers[i].exportState();
      const views = s.views ? await decodeViews(g, s.models[i].config, state.params, s.views) : undefined;
      if (generation !== since) throw new Error('device lost');
      s.last[i] = state;
      s.histories[i].push(stats);
      const params = state.params.slice();
      const out = views ? [params.buffer, views.reconstructions.buffer, views.samples.buffer] : [params.buffer];
      post({ type: 'epoch', model: i, stats, params, ...(views ? { ...views, sampleCount: SAMPLES } : {}), gpu: g.buffers.live() }, out);
      return;
    } catch (e) {
      if (!(await lostMeanwhile(since))) throw e;
      await recovering;
    }
  }
}

async function run(s: Session): Promise<[WorkerStatus, string]> {
  const epoch = () => Math.min(...s.trainers.map((t) => t.epoch));
  status('training', `Training epoch ${epoch() + 1} of ${s.target}`);
  try {
    while (epoch() < s.target) {
      const e = epoch();
      // every model finishes epoch e before any starts e + 1 (after a recovery some may be ahead)
      for (let i = 0; i < s.trainers.length; i++) if (s.trainers[i].epoch === e) await modelEpoch(s, i);
      if (epoch() >= s.target) break;
      if (stopRequested) return ['stopped', `Stopped after epoch ${epoch()} of ${s.target}; Resume continues this run`];
      status('training', `Training epoch ${epoch() + 1} of ${s.target}`);
    }
    return ['done', `Done: ${epoch()} epochs`];
  } catch (e) {
    // the trainer restored the last good weights, so Download and Resume still work
    post({ type: 'error', message: text(e) });
    return ['error', `Training stopped by an error in epoch ${epoch() + 1}`];
  }
}

function launch(s: Session): void {
  stopRequested = false;
  loop = run(s).then(([st, t]) => {
    loop = undefined;
    status(st, t);
  });
}

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case 'init': {
      try {
        gpu = await acquire();
        post({ type: 'ready', adapter: gpu.adapter });
      } catch (e) {
        post({ type: 'fatal', message: text(e) });
      }
      return;
    }
    case 'start': {
      // synchronous from here to launch(): a Stop posted right after lands once epoch 1 runs
      try {
        if (loop) throw new Error('training is already running: stop it first');
        if (!gpu) throw new Error('no WebGPU device yet');
        const states = m.models.map((_, i) => m.from?.[i]?.state);
        const pinned = m.from && loadedKernels(m.from);
        const warnings = pinned ? unfitRecorded(pinned, gpu.ctx.caps, FAMILIES).map((w) => `${w}: resuming will not reproduce a run that went on bit for bit`) : [];
        const built = buildTrainers(gpu, m.models, m.data, states, pinned);
        session?.scope.destroyAll();
        session = {
          models: m.models, data: m.data, views: m.views, trainers: built.trainers, scope: built.scope,
          last: states, histories: m.models.map((_, i) => m.from?.[i]?.history.slice() ?? []), target: m.epochs, kernels: built.kernels,
        };
        post({ type: 'reply', id: m.id, ok: true, ...(warnings.length ? { warnings } : {}) });
        if (m.run) launch(session);
        else {
          // a loaded run: its weights for the page's views, without training
          for (let i = 0; i < m.models.length; i++) {
            const st = states[i] ?? (await session.trainers[i].exportState());
            const views = m.views ? await decodeViews(gpu, m.models[i].config, st.params, m.views) : undefined;
            const last = session.histories[i].at(-1);
            if (last) post({ type: 'epoch', model: i, stats: last, params: st.params.slice(), ...(views ? { ...views, sampleCount: SAMPLES } : {}), gpu: gpu.buffers.live() });
          }
          status('loaded', `Loaded: ${m.models.map((x, i) => `${x.label} at epoch ${states[i]?.epoch ?? 0}`).join(', ')}; Resume trains on, Evaluate scores it`);
        }
      } catch (e) {
        post({ type: 'reply', id: m.id, ok: false, message: text(e) });
      }
      return;
    }
    case 'resume': {
      const s = session;
      const epoch = s ? Math.min(...s.trainers.map((t) => t.epoch)) : 0;
      if (loop) post({ type: 'reply', id: m.id, ok: false, message: 'training is already running' });
      else if (!s) post({ type: 'reply', id: m.id, ok: false, message: 'nothing to resume: press Train first' });
      else if (m.epochs <= epoch) post({ type: 'reply', id: m.id, ok: false, message: `the run already has ${epoch} epochs: raise Epochs to continue it` });
      else {
        s.target = m.epochs;
        post({ type: 'reply', id: m.id, ok: true });
        launch(s);
      }
      return;
    }
    case 'stop': {
      if (!loop || !session) return;
      stopRequested = true;
      status('stopping', `Stopping after epoch ${Math.min(...session.trainers.map((t) => t.epoch)) + 1}…`);
      return;
    }
    case 'export': {
      const s = session;
      if (!s) {
        post({ type: 'reply', id: m.id, ok: false, message: 'no run to export: train or load one first' });
        return;
      }
      try {
        const saved: SavedModel[] = [];
        for (let i = 0; i < s.models.length; i++) {
          // the state that matches the history: the last finished epoch's, not a half-done one
          const state = s.last[i] ?? (await s.trainers[i].exportState());
          saved.push({ state, history: s.histories[i].slice(0, state.epoch), kernels: s.kernels });
        }
        post({ type: 'reply', id: m.id, ok: true, exported: { models: s.models, saved } });
      } catch (e) {
        post({ type: 'reply', id: m.id, ok: false, message: text(e) });
      }
      return;
    }
    case 'loseDevice': {
      loseAtEpoch = m.epoch;
      return;
    }
  }
}

self.onmessage = (e: MessageEvent<ToWorker>) => void handle(e.data);
