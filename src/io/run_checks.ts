// The shape checks on a run folder's JSON files (config.json, history.json), shared by every
// reader: `npm run unpack` and the page (through run_file.ts), `npm run eval`, `kl-check` and
// `train --resume`. Those files may come from anyone, so each value is checked for its type and
// range before it sizes a buffer, names a folder or reaches a command line: a wrong shape is one
// error naming the file and the field, before any adapter starts. Pure (no node: imports): the
// page runs the same checks on the files it is given.
import { fail } from '../errors.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import type { EpochStats } from '../train/trainer.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const kind = (v: unknown) => (Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`);
const isCount = (v: unknown, min = 1) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const isPositive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** history.json: a list of epochs, each an object with its number and finite losses. */
export function checkHistory(value: unknown, file: string): EpochStats[] {
  if (!Array.isArray(value)) fail(`${file} is not a list of epochs (it holds ${kind(value)})`);
  value.forEach((h, i) => {
    if (!isObject(h)) fail(`${file}: entry ${i + 1} is not an epoch record (it holds ${kind(h)})`);
    if (!isCount(h.epoch)) fail(`${file}: entry ${i + 1} has no epoch number (epoch: ${kind(h.epoch)})`);
    for (const k of ['step', 'trainRe', 'trainKl', 'trainLoss', 'validRe', 'validKl', 'validLoss', 'seconds']) {
      if (k in h && !(typeof h[k] === 'number' && Number.isFinite(h[k]))) fail(`${file}: epoch ${h.epoch} has ${k} ${kind(h[k])}, not a finite number`);
    }
  });
  return value as EpochStats[];
}

/** The model section of config.json: the types the model builder relies on (sizes, prior,
 *  optimizer, seed). What combinations it can build is the builder's own check. */
export function checkModelConfig(m: unknown, file: string): VaeConfig {
  function bad(field: string, v: unknown, want: string): never {
    fail(`${file}: model.${field} is ${kind(v)}, expected ${want}`);
  }
  if (!isObject(m)) fail(`${file} is not a tvae run configuration (its model section is ${kind(m)})`);
  const shape = m.shape;
  if (!isObject(shape)) bad('shape', shape, 'an object');
  for (const k of ['encoder', 'decoder'] as const) {
    const layers = shape[k];
    if (!Array.isArray(layers) || layers.length < 1 || !layers.every((n) => isCount(n))) bad(`shape.${k}`, layers, 'a list of positive integers');
  }
  if (!isCount(shape.latent)) bad('shape.latent', shape.latent, 'a positive integer');
  const prior = m.prior;
  if (!isObject(prior) || (prior.kind !== 'gaussian' && prior.kind !== 't')) bad('prior', prior, '{"kind": "gaussian"} or {"kind": "t", "nu": N}');
  if (prior.kind === 't' && !isPositive(prior.nu)) bad('prior.nu', prior.nu, 'a number > 0');
  const opt = m.optimizer;
  if (!isObject(opt) || (opt.kind !== 'adam' && opt.kind !== 'sgd')) bad('optimizer', opt, '{"kind": "adam" or "sgd", "lr": X}');
  if (!isPositive(opt.lr)) bad('optimizer.lr', opt.lr, 'a number > 0');
  if (!isCount(m.batch)) bad('batch', m.batch, 'a positive integer');
  if (!isCount(m.seed, 0) || (m.seed as number) > 2 ** 32 - 1) bad('seed', m.seed, 'an integer in 0..2^32-1');
  if (m.classes !== undefined && !isCount(m.classes)) bad('classes', m.classes, 'a positive integer');
  if (m.multivariate !== undefined && typeof m.multivariate !== 'boolean') bad('multivariate', m.multivariate, 'true or false');
  if (m.iw !== undefined && !isCount(m.iw)) bad('iw', m.iw, 'a positive integer (importance samples per row in training)');
  for (const k of ['posterior', 'kl'] as const) if (m[k] !== undefined && typeof m[k] !== 'string') bad(k, m[k], 'a string');
  for (const k of ['likelihood', 'activation', 'net'] as const) if (m[k] !== undefined && !isObject(m[k])) bad(k, m[k], 'an object');
  return m as unknown as VaeConfig;
}

export interface SavedRunConfig {
  model: VaeConfig;
  data: { dir: string; splitSeed: number; sizes?: [number, number, number]; trainImages?: number; validImages?: number };
  options?: { epochs?: number; data?: string };
  resumeKey?: string;
  adapter?: unknown;
}

/** A data folder or source named by a file: a plain string, no control characters (it is shown,
 *  quoted into command lines and opened for reading, never written to). */
function checkDataName(v: unknown, file: string, field: string): string {
  if (typeof v !== 'string' || v === '' || /[\x00-\x1f\x7f]/.test(v)) fail(`${file}: ${field} is ${kind(v)}, expected a folder name or synthetic:NAME`);
  return v;
}

/** config.json as a whole: the model, the data section and the options that readers use. */
export function checkRunConfig(value: unknown, file: string): SavedRunConfig {
  if (!isObject(value)) fail(`${file} is not a tvae run configuration (it holds ${kind(value)})`);
  if (value.model === undefined || !isObject(value.data)) fail(`${file} is not a tvae run configuration (no model or data section)`);
  checkModelConfig(value.model, file);
  const d = value.data;
  checkDataName(d.dir, file, 'data.dir');
  if (!isCount(d.splitSeed, 0)) fail(`${file}: data.splitSeed is ${kind(d.splitSeed)}, expected an integer >= 0`);
  if (d.sizes !== undefined && !(Array.isArray(d.sizes) && d.sizes.length === 3 && d.sizes.every((n) => isCount(n)))) fail(`${file}: data.sizes is ${kind(d.sizes)}, expected three positive integers`);
  for (const k of ['trainImages', 'validImages'] as const) if (d[k] !== undefined && !isCount(d[k])) fail(`${file}: data.${k} is ${kind(d[k])}, expected a positive integer`);
  const o = value.options;
  if (o !== undefined) {
    if (!isObject(o)) fail(`${file}: options is ${kind(o)}, expected an object`);
    if (o.epochs !== undefined && !isCount(o.epochs, 0)) fail(`${file}: options.epochs is ${kind(o.epochs)}, expected an integer >= 0`);
    if (o.data !== undefined) checkDataName(o.data, file, 'options.data');
  }
  if (value.resumeKey !== undefined && typeof value.resumeKey !== 'string') fail(`${file}: resumeKey is ${kind(value.resumeKey)}, expected a string`);
  return value as unknown as SavedRunConfig;
}
