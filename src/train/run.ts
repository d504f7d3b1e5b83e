// A training run driven from Node: loads and splits the data, opens the headless trainer page,
// trains epoch by epoch and keeps the run folder (config, history, checkpoint, weights) current.
// Every check that can fail on user input runs before the folder is touched.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../errors.ts';
import { loadTrainingData } from '../data/source.ts';
import { CLASSES } from '../data/idx_parse.ts';
import { encodeSafetensors } from '../io/safetensors.ts';
import { readCheckpoint, readJson, writeCheckpoint, writeFileAtomic, writeHistoryCsv, writeJson } from '../io/run_folder.ts';
import { checkRunTarget, claimRunFolder } from '../io/run_target.ts';
import { requireFinite, requireLength } from '../io/check_tensors.ts';
import { onInterrupt } from '../node/interrupts.ts';
import { cpuSplit, describeCpuSplit, mainShare } from '../node/thread_cpu.ts';
import { openWorker, type GpuWorker } from '../node/worker.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { checkBufferFit, checkDispatchFit } from '../model/device_fit.ts';
import { modelWeights } from '../model/named_weights.ts';
import { modelPlan } from '../parts/model.ts';
import { checkBatchNormCounts } from '../parts/network/cnn.ts';
import { modelLayout } from '../parts/model.ts';
import type { EpochStats, TrainerState } from './trainer.ts';
import type { TrainOptions } from '../cli/train_options.ts';
import { runKey } from './run_key.ts';
import { resumeTrainLine } from '../io/resume_args.ts';
import { checkHistory, checkRunConfig } from '../io/run_checks.ts';
import { KERNEL_FAMILIES } from '../kernels/families.ts';
import { parseForced } from '../tune/table.ts';
import { checkKernelRecord, KERNEL_RECORD_FILE, type KernelRecord } from '../tune/record.ts';
import type { InitResult, KernelInit } from '../runtime/worker_api.ts';

export const SOFTWARE_DEFAULTS = { limit: 2000, validLimit: 500, epochs: 5 };

export interface RunResult {
  out: string;
  history: EpochStats[];
  config: VaeConfig;
}

export interface RunIo {
  log(line: string): void;
  progress?(epoch: number, done: number, total: number): void;
  /** a run of a job (`npm start`): an interrupt says what this run kept; the job prints its own
   *  resume line */
  inJob?: boolean;
}

export function vaeConfig(o: TrainOptions): VaeConfig {
  return {
    shape: o.shape,
    prior: o.model === 't' ? { kind: 't', nu: o.nu } : { kind: 'gaussian' },
    multivariate: o.multivariate,
    ...(o.posterior !== 'diag' ? { posterior: o.posterior } : {}),
    ...(o.kl ? { kl: o.kl } : {}),
    ...(o.likelihood.kind !== 'bernoulli' ? { likelihood: o.likelihood } : {}),
    ...(o.conditional ? { classes: CLASSES } : {}),
    ...(o.activation === 'leaky-relu' ? { activation: { kind: 'leaky-relu' as const, slope: o.slope } } : {}),
    ...(o.cnn ? { net: o.cnn } : {}),
    batch: o.batch,
    optimizer: o.optimizer === 'adam' ? { kind: 'adam', lr: o.lr } : { kind: 'sgd', lr: o.lr },
    seed: o.seed,
  };
}

/** What must match for --resume to continue a run (the split only when it is not the reference's,
 *  so runs from before --split existed still resume). */
const resumeKey = (o: TrainOptions, sizes: [number, number, number]) => runKey(vaeConfig(o), o.splitSeed, o.limit, o.validLimit, o.data, sizes);

/** The shell line that continues this run, built from its configuration (every option of its
 *  key, quoted) rather than from what was typed: a relative --out or a default would resume
 *  elsewhere or as another run. Its sizes after the software scale-down are stated explicitly. */
export function resumeLine(opts: TrainOptions, config: VaeConfig, sizes: [number, number, number]): string {
  // the key's limits are the options (undefined: all), after the scale-down set them
  const data = { ...(opts.data !== undefined ? { source: opts.data } : {}), splitSeed: opts.splitSeed, sizes, trainImages: opts.limit, validImages: opts.validLimit };
  return resumeTrainLine(config, data, opts.epochs, opts.out);
}

export async function trainRun(opts: TrainOptions, io: RunIo): Promise<RunResult> {
  // every check on user input first: nothing below touches the disk or starts a browser until
  // the folder, the data, the split and the model's dispatch sizes are known to be usable
  checkRunTarget(opts.out, opts.resume);
  const data = loadTrainingData(opts.data, opts.splitSeed, opts.split);
  const dataDir = data.source;
  const sizes = data.sizes;
  if (data.realValued && opts.likelihood.kind === 'bernoulli') fail(`--data ${data.source} is real-valued: it needs --likelihood gaussian (a Bernoulli decoder models values in [0, 1])`);
  if (opts.conditional && !data.train.labels) fail(`--conditional needs labels, and --data ${data.source} has none`);
  const D = data.train.D;
  if (D !== opts.shape.encoder[0]) opts.shape = { ...opts.shape, encoder: [D, ...opts.shape.encoder.slice(1)], decoder: [...opts.shape.decoder.slice(0, -1), D] };
  if (opts.cnn) {
    // the CNN takes its image size from the data; a size it cannot mirror exactly is refused here
    const image = data.train.image;
    if (!image) fail(`--net cnn needs images with a height and width; --data ${data.source} has none`);
    opts.cnn = { ...opts.cnn, image: { height: image.rows, width: image.cols, channels: 1 } };
    checkBatchNormCounts(modelPlan(vaeConfig(opts))!, opts.batch);
  } else checkDispatchFit(opts.shape, opts.batch);
  if (opts.limit !== undefined) data.train.take(opts.limit, '--limit');
  if (opts.validLimit !== undefined) data.valid.take(opts.validLimit, '--valid-limit');
  const checkpoint = opts.resume ? readResumeCheckpoint(opts) : undefined;
  const forced = parseForced(process.env.TVAE_KERNELS, KERNEL_FAMILIES);
  const recorded = opts.resume ? readKernelRecord(opts.out) : undefined;

  // from here the folder is ours (locked); until config.json is written, a failure gives it back
  const claim = claimRunFolder(opts.out);
  let started = false;
  let lastDone: { state: TrainerState; history: EpochStats[] } | undefined;
  let saved = -1;
  let config: VaeConfig | undefined;
  const stopInterrupt = onInterrupt((signal) => {
    if (!started || !config) {
      claim.abandon();
      return io.inJob ? `${opts.out}: stopped before its first epoch` : `interrupted (${signal}) before training started; nothing was written`;
    }
    if (lastDone && lastDone.state.epoch > saved) writeCheckpointFiles(opts, config, sizes, lastDone.state, lastDone.history);
    claim.lock.release();
    const epoch = Math.max(saved, lastDone?.state.epoch ?? 0, 0);
    if (io.inJob) return `${opts.out}: keeps epoch ${epoch} of ${opts.epochs} (checkpoint)`;
    return `interrupted (${signal}): ${opts.out} keeps epoch ${epoch} of ${opts.epochs}; resume with: ${resumeLine(opts, config, sizes)}`;
  });
  const blobs = new Map<string, Uint8Array>();
  let epochNow = 0;
  let h: GpuWorker | undefined;
  try {
    checkRunTarget(opts.out, opts.resume); // again under the lock: another run may have finished meanwhile
    h = await openWorker({ blobs, log: io.log, progress: (done, total) => io.progress?.(epochNow + 1, done, total) });
    const a = h.adapter;
    io.log(`adapter: ${a.vendor} ${a.architecture} ${a.description}${a.isSoftware ? " (software)" : ""}, runtime: ${h.runtime}${a.driver ? ` (${a.driver})` : ''}`);
    if (a.isSoftware && !opts.explicit.limit) {
      // a data set smaller than the scaled-down sizes is used whole
      opts.limit = Math.min(SOFTWARE_DEFAULTS.limit, data.train.count);
      opts.validLimit ??= Math.min(SOFTWARE_DEFAULTS.validLimit, data.valid.count);
    }
    if (a.isSoftware && !opts.explicit.epochs) opts.epochs = SOFTWARE_DEFAULTS.epochs;
    if (a.isSoftware && (!opts.explicit.limit || !opts.explicit.epochs)) {
      io.log(`software adapter: scaled down to ${opts.limit ?? data.train.count} training ${data.realValued ? 'points' : 'images'} and ${opts.epochs} epochs (set --limit and --epochs to choose)`);
    }
    const train = data.train.take(opts.limit, '--limit');
    const valid = data.valid.take(opts.validLimit, '--valid-limit');
    if (opts.batch > train.count) fail(`--batch ${opts.batch} is larger than the training set (${train.count} images)`);
    if (opts.batch > valid.count) fail(`--batch ${opts.batch} is larger than the validation set (${valid.count} images); lower --batch or raise --valid-limit`);
    checkBufferFit(opts.shape, opts.batch, { train: train.count, valid: valid.count }, a);
    const cfg = vaeConfig(opts);
    const resumed = opts.resume ? loadResume(opts, checkpoint, sizes, io.log) : undefined;
    blobs.set('train', train.bytes);
    blobs.set('valid', valid.bytes);
    if (cfg.classes) {
      blobs.set('train.labels', train.labels!);
      blobs.set('valid.labels', valid.labels!);
    }
    const kernels = kernelInit(opts.out, recorded, Boolean(resumed?.state), forced, io.log);
    // the model is built (its buffers checked against the device) before anything is written
    const built = await h.call<InitResult>('init', { config: cfg, train: { count: train.count, D, format: train.format }, valid: { count: valid.count, D, format: valid.format }, kernels });
    for (const w of built.warnings) io.log(`warning: ${opts.out}/${KERNEL_RECORD_FILE}: ${w}; this resume is not bit-identical to a run that went on`);
    if (recorded?.record.adapter !== undefined && recorded.record.adapter !== built.record.adapter) {
      io.log(`note: ${opts.out}/${KERNEL_RECORD_FILE} was recorded on another adapter (${recorded.record.adapter}); the same variants run, but another device may round differently`);
    }
    io.log(`${built.kernels}; ${kernels.pinned ? 'forced from' : 'recorded in'} ${opts.out}/${KERNEL_RECORD_FILE}`);
    if (resumed?.state) await h.call('importState', resumed.state);
    writeJson(join(opts.out, 'config.json'), {
      options: { ...opts, explicit: undefined },
      resumeKey: resumeKey(opts, sizes),
      model: cfg,
      data: { dir: dataDir, splitSeed: opts.splitSeed, sizes, trainImages: train.count, validImages: valid.count },
      adapter: a,
    });
    writeJson(join(opts.out, KERNEL_RECORD_FILE), built.record);
    config = cfg;
    started = true;
    const history: EpochStats[] = resumed?.history ?? [];
    epochNow = resumed?.state?.epoch ?? 0;
    saved = epochNow;
    if (resumed) writeHistory(opts.out, history); // a killed run may have left later epochs listed
    // in-process (the Node runtime) this process's threads are the GPU's: is the host spinning?
    const cpuBefore = h.runtime === 'node' ? cpuSplit() : undefined;
    for (let e = epochNow + 1; e <= opts.epochs; e++) {
      let stats: EpochStats;
      try {
        stats = await h.call<EpochStats>('runEpoch');
      } catch (err) {
        // the page restored the last good weights: keep them on disk before reporting
        writeCheckpointFiles(opts, cfg, sizes, await h.call<TrainerState>('exportState'), history);
        throw err;
      }
      // the state of every finished epoch is kept in memory, so an interrupt can save it
      const state = await h.call<TrainerState>('exportState');
      epochNow = e;
      history.push(stats);
      lastDone = { state, history: history.slice() };
      io.log(formatEpoch(stats, opts.epochs));
      writeHistory(opts.out, history);
      if (e % opts.checkpointEvery === 0 || e === opts.epochs) {
        writeCheckpointFiles(opts, cfg, sizes, state, history);
        saved = e;
      }
    }
    const cpuAfter = cpuBefore && cpuSplit();
    if (cpuBefore && cpuAfter) io.log(describeCpuSplit(mainShare(cpuBefore, cpuAfter), 'training'));
    return { out: opts.out, history, config: cfg };
  } catch (e) {
    if (!started) claim.abandon();
    throw e;
  } finally {
    stopInterrupt();
    claim.lock.release();
    await h?.close();
  }
}

function writeHistory(out: string, history: EpochStats[]): void {
  writeJson(join(out, 'history.json'), history);
  writeHistoryCsv(join(out, 'history.csv'), history as unknown as Record<string, number>[]);
}

export function formatEpoch(s: EpochStats, epochs: number): string {
  const f = (v: number) => v.toFixed(3);
  return `epoch ${s.epoch}/${epochs}  train RE ${f(s.trainRe)} KL ${f(s.trainKl)}  valid RE ${f(s.validRe)} KL ${f(s.validKl)}  ${s.seconds.toFixed(2)} s/epoch`;
}

/** checkpoint.safetensors (resumable state), history cut to its epoch, weights.safetensors: each
 *  written atomically and synchronously (an interrupt handler calls this). */
function writeCheckpointFiles(opts: TrainOptions, config: VaeConfig, sizes: [number, number, number], st: TrainerState, history: EpochStats[]): void {
  const tensors: Record<string, Float32Array> = { params: st.params };
  const shapes: Record<string, number[]> = { params: [st.params.length] };
  st.moments.forEach((m, i) => {
    tensors[`moment${i}`] = m;
    shapes[`moment${i}`] = [m.length];
  });
  writeCheckpoint(opts.out, 'checkpoint', { epoch: st.epoch, step: st.step, tensors, shapes }, { resumeKey: resumeKey(opts, sizes) });
  writeHistory(opts.out, history.slice(0, st.epoch));
  const layout = modelLayout(config);
  const named = modelWeights(config, layout, st.params);
  const weights = Object.fromEntries(Object.entries(named).map(([k, t]) => [k, { dtype: 'F32' as const, ...t }]));
  writeFileAtomic(join(opts.out, 'weights.safetensors'), encodeSafetensors(weights, { epoch: String(st.epoch), model: JSON.stringify(config) }));
}

/** The checkpoint to resume from, checked for everything that needs no adapter (shape, optimizer
 *  moments, finite values) so a damaged file is refused before a browser starts; none when
 *  the run was stopped before its first checkpoint. A checkpoint is only ever replaced whole. */
function readResumeCheckpoint(opts: TrainOptions): CheckpointRead | undefined {
  // config.json's shape first: a damaged or foreign one is one line naming it, before any adapter
  const cfgPath = join(opts.out, 'config.json');
  if (existsSync(cfgPath)) checkRunConfig(readJson<unknown>(cfgPath, 'run configuration'), cfgPath);
  const ckPath = join(opts.out, 'checkpoint.safetensors');
  if (!existsSync(ckPath)) return undefined;
  const ck = readCheckpoint(ckPath);
  const params = ck.tensors.params ?? fail(`--resume: ${ckPath} holds no "params" tensor`);
  const layout = modelLayout(vaeConfig(opts));
  requireLength(`${ckPath} params`, params, layout.bytes / 4, `the model ${opts.shape.encoder.join('-')}-${opts.shape.latent}`);
  const moments = Object.keys(ck.tensors).filter((k) => k.startsWith('moment')).sort().map((k) => ck.tensors[k]);
  const wanted = opts.optimizer === 'adam' ? 2 : 0;
  if (moments.length !== wanted) fail(`--resume: ${ckPath} has ${moments.length} optimizer moments but ${opts.optimizer} needs ${wanted}`);
  requireFinite(`${ckPath} params`, params);
  moments.forEach((m, i) => {
    requireLength(`${ckPath} moment${i}`, m, params.length, 'one value per parameter');
    requireFinite(`${ckPath} moment${i}`, m);
  });
  // the history's shape too, so a damaged history.json is one line before the adapter starts
  const historyPath = join(opts.out, 'history.json');
  const history = existsSync(historyPath) ? checkHistory(readJson<unknown>(historyPath, 'training history'), historyPath) : [];
  return { path: ckPath, epoch: ck.epoch, step: ck.step, resumeKey: ck.metadata.resumeKey, params, moments, history };
}

/** A resumed run's kernels.json, checked before any adapter starts; undefined when the run has
 *  none (trained before runs recorded their kernels). */
function readKernelRecord(out: string): { path: string; record: KernelRecord } | undefined {
  const path = join(out, KERNEL_RECORD_FILE);
  if (!existsSync(path)) return undefined;
  return { path, record: checkKernelRecord(readJson<unknown>(path, 'kernel record'), path, KERNEL_FAMILIES) };
}

/** How the worker chooses kernels: a resume from a checkpoint (or of a run with a record) forces
 *  the run's record, or every fallback for a run from before records; a new run tunes. */
function kernelInit(out: string, recorded: { record: KernelRecord } | undefined, fromCheckpoint: boolean, forced: string[], log: (l: string) => void): KernelInit {
  if (recorded || fromCheckpoint) {
    if (!recorded) log(`${out} has no ${KERNEL_RECORD_FILE} (trained before runs recorded their kernels): resuming with each family's fallback variant (base); if it trained with others, this resume is not bit-identical`);
    if (forced.length) log(`TVAE_KERNELS is ignored on --resume: the run's own kernels decide`);
    return { pinned: recorded?.record.choices ?? {} };
  }
  return { forced };
}

interface CheckpointRead {
  path: string;
  epoch: number;
  step: number;
  resumeKey: string | undefined;
  params: Float32Array;
  moments: Float32Array[];
  history: EpochStats[];
}

/** The state to continue from: the checkpoint if there is one, else epoch 0. */
function loadResume(opts: TrainOptions, ck: CheckpointRead | undefined, sizes: [number, number, number], log: (l: string) => void): { state?: TrainerState; history: EpochStats[] } {
  const cfgPath = join(opts.out, 'config.json');
  if (!existsSync(cfgPath)) fail(`--resume: ${opts.out} holds no run (no config.json)`);
  const saved = readJson<{ resumeKey: string }>(cfgPath, 'run configuration');
  if (saved.resumeKey !== resumeKey(opts, sizes)) fail(`--resume: the run in ${opts.out} was trained with other settings (model, data or sizes); pass the same options`);
  if (!ck) {
    log(`--resume: ${opts.out} has no checkpoint yet (stopped before its first); starting again from epoch 0`);
    return { history: [] };
  }
  if (ck.resumeKey !== saved.resumeKey) fail(`--resume: ${ck.path} belongs to another run`);
  // after the software scale-down: --epochs may have been left to it
  if (ck.epoch >= opts.epochs) fail(`--resume: the run already has ${ck.epoch} epochs; ask for more with --epochs`);
  const history = ck.history.slice(0, ck.epoch);
  if (history.length !== ck.epoch) fail(`--resume: ${opts.out}/history.json lists ${history.length} epochs but the checkpoint is at epoch ${ck.epoch}`);
  return { state: { epoch: ck.epoch, step: ck.step, params: ck.params, moments: ck.moments }, history };
}
