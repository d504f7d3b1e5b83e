// A training run driven from Node: loads and splits the data, opens the headless trainer page,
// trains epoch by epoch and keeps the run folder (config, history, checkpoint, weights) current.
// Every check that can fail on user input runs before the folder is touched.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../errors.ts';
import { loadTrainingData } from '../data/source.ts';
import { CLASSES } from '../data/idx_parse.ts';
import { encodeSafetensors } from '../io/safetensors.ts';
import { prepareRunFolder, readCheckpoint, readJson, writeCheckpoint, writeFileAtomic, writeHistoryCsv, writeJson } from '../io/run_folder.ts';
import { openWorker, type GpuWorker } from '../node/worker.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { namedWeights } from '../model/named_weights.ts';
import { modelLayout } from '../parts/model.ts';
import type { EpochStats, TrainerState } from './trainer.ts';
import type { TrainOptions } from '../cli/train_options.ts';

export const SOFTWARE_DEFAULTS = { limit: 2000, validLimit: 500, epochs: 5 };

export interface RunResult {
  out: string;
  history: EpochStats[];
  config: VaeConfig;
}

export interface RunIo {
  log(line: string): void;
  progress?(epoch: number, done: number, total: number): void;
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
    batch: o.batch,
    optimizer: o.optimizer === 'adam' ? { kind: 'adam', lr: o.lr } : { kind: 'sgd', lr: o.lr },
    seed: o.seed,
  };
}

/** What must match for --resume to continue a run. */
const resumeKey = (o: TrainOptions) => JSON.stringify([vaeConfig(o), o.splitSeed, o.limit, o.validLimit, o.data ?? null]);

export async function trainRun(opts: TrainOptions, io: RunIo): Promise<RunResult> {
  const data = loadTrainingData(opts.data, opts.splitSeed);
  const dataDir = data.source;
  if (data.realValued && opts.likelihood.kind === 'bernoulli') fail(`--data ${data.source} is real-valued: it needs --likelihood gaussian (a Bernoulli decoder models values in [0, 1])`);
  const D = data.train.D;
  if (D !== opts.shape.encoder[0]) opts.shape = { ...opts.shape, encoder: [D, ...opts.shape.encoder.slice(1)], decoder: [...opts.shape.decoder.slice(0, -1), D] };
  const blobs = new Map<string, Uint8Array>();
  const h = await openWorker({ blobs, log: io.log, progress: (done, total) => io.progress?.(epochNow + 1, done, total) });
  let epochNow = 0;
  try {
    const a = h.adapter;
    io.log(`adapter: ${a.vendor} ${a.architecture} ${a.description}${a.isSoftware ? " (software)" : ""}, runtime: ${h.runtime}${a.driver ? ` (${a.driver})` : ''}`);
    if (a.isSoftware && !opts.explicit.limit) {
      opts.limit = SOFTWARE_DEFAULTS.limit;
      opts.validLimit ??= SOFTWARE_DEFAULTS.validLimit;
    }
    if (a.isSoftware && !opts.explicit.epochs) opts.epochs = SOFTWARE_DEFAULTS.epochs;
    if (a.isSoftware && (!opts.explicit.limit || !opts.explicit.epochs)) {
      io.log(`software adapter: scaled down to ${opts.limit ?? data.train.count} training ${data.realValued ? 'points' : 'images'} and ${opts.epochs} epochs (set --limit and --epochs to choose)`);
    }
    const train = data.train.take(opts.limit, '--limit');
    const valid = data.valid.take(opts.validLimit, '--valid-limit');
    if (opts.batch > train.count) fail(`--batch ${opts.batch} is larger than the training set (${train.count} images)`);
    if (opts.batch > valid.count) fail(`--batch ${opts.batch} is larger than the validation set (${valid.count} images); lower --batch or raise --valid-limit`);
    const config = vaeConfig(opts);
    const resumed = opts.resume ? loadResume(opts) : undefined;
    prepareRunFolder(opts.out, { resume: opts.resume });
    writeJson(join(opts.out, 'config.json'), {
      options: { ...opts, explicit: undefined },
      resumeKey: resumeKey(opts),
      model: config,
      data: { dir: dataDir, splitSeed: opts.splitSeed, sizes: data.sizes, trainImages: train.count, validImages: valid.count },
      adapter: a,
    });
    blobs.set('train', train.bytes);
    blobs.set('valid', valid.bytes);
    if (config.classes) {
      blobs.set('train.labels', train.labels ?? fail(`--conditional needs labels, and --data ${data.source} has none`));
      blobs.set('valid.labels', valid.labels ?? fail(`--conditional needs labels, and --data ${data.source} has none`));
    }
    await h.call('init', { config, train: { count: train.count, D, format: train.format }, valid: { count: valid.count, D, format: valid.format } });
    const history: EpochStats[] = resumed?.history ?? [];
    if (resumed) await h.call('importState', resumed.state);
    epochNow = resumed?.state.epoch ?? 0;
    for (let e = epochNow + 1; e <= opts.epochs; e++) {
      let stats: EpochStats;
      try {
        stats = await h.call<EpochStats>('runEpoch');
      } catch (err) {
        // the page restored the last good weights: keep them on disk before reporting
        await saveCheckpoint(h, opts, config, history);
        throw err;
      }
      epochNow = e;
      history.push(stats);
      io.log(formatEpoch(stats, opts.epochs));
      writeJson(join(opts.out, 'history.json'), history);
      writeHistoryCsv(join(opts.out, 'history.csv'), history as unknown as Record<string, number>[]);
      if (e % opts.checkpointEvery === 0 || e === opts.epochs) await saveCheckpoint(h, opts, config, history);
    }
    return { out: opts.out, history, config };
  } finally {
    await h.close();
  }
}


export function formatEpoch(s: EpochStats, epochs: number): string {
  const f = (v: number) => v.toFixed(3);
  return `epoch ${s.epoch}/${epochs}  train RE ${f(s.trainRe)} KL ${f(s.trainKl)}  valid RE ${f(s.validRe)} KL ${f(s.validKl)}  ${s.seconds.toFixed(2)} s/epoch`;
}

async function saveCheckpoint(h: GpuWorker, opts: TrainOptions, config: VaeConfig, history: EpochStats[]): Promise<void> {
  const st = await h.call<TrainerState>('exportState');
  const tensors: Record<string, Float32Array> = { params: st.params };
  const shapes: Record<string, number[]> = { params: [st.params.length] };
  st.moments.forEach((m, i) => {
    tensors[`moment${i}`] = m;
    shapes[`moment${i}`] = [m.length];
  });
  writeCheckpoint(opts.out, 'checkpoint', { epoch: st.epoch, step: st.step, tensors, shapes }, { resumeKey: resumeKey(opts) });
  writeJson(join(opts.out, 'history.json'), history.slice(0, st.epoch));
  const layout = modelLayout(config);
  const named = namedWeights(layout, config.shape.encoder.length, st.params);
  const weights = Object.fromEntries(Object.entries(named).map(([k, t]) => [k, { dtype: 'F32' as const, ...t }]));
  writeFileAtomic(join(opts.out, 'weights.safetensors'), encodeSafetensors(weights, { epoch: String(st.epoch), model: JSON.stringify(config) }));
}

function loadResume(opts: TrainOptions): { state: TrainerState; history: EpochStats[] } {
  const cfgPath = join(opts.out, 'config.json');
  if (!existsSync(cfgPath)) fail(`--resume: ${opts.out} holds no run (no config.json)`);
  const saved = readJson<{ resumeKey: string }>(cfgPath, 'run configuration');
  if (saved.resumeKey !== resumeKey(opts)) fail(`--resume: the run in ${opts.out} was trained with other settings (model, data or sizes); pass the same options`);
  const ck = readCheckpoint(join(opts.out, 'checkpoint.safetensors'));
  if (ck.metadata.resumeKey !== saved.resumeKey) fail(`--resume: ${opts.out}/checkpoint.safetensors belongs to another run`);
  if (ck.epoch >= opts.epochs) fail(`--resume: the run already has ${ck.epoch} epochs; ask for more with --epochs`);
  const moments = Object.keys(ck.tensors).filter((k) => k.startsWith('moment')).sort().map((k) => ck.tensors[k]);
  const history = readJson<EpochStats[]>(join(opts.out, 'history.json'), 'training history').slice(0, ck.epoch);
  return { state: { epoch: ck.epoch, step: ck.step, params: ck.tensors.params, moments }, history };
}
