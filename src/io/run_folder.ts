// Node helpers for a training run folder (config.json, history.csv, checkpoints as safetensors).
// Every write goes to `<path>.tmp-<pid>`, is fsynced, then renamed over the target, so a crash
// never leaves a half-written file behind; every user-facing problem is a TvaeError naming the path.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TvaeError, fail } from '../errors.ts';
import { decodeSafetensors, encodeSafetensors, type Tensor } from './safetensors.ts';
import { historyCsv } from './history_csv.ts';

export interface CheckpointFile {
  epoch: number;
  step: number;
  tensors: Record<string, Float32Array>;
  shapes: Record<string, number[]>;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Writes `data` to `file` opened with `flag` ('wx': it must not exist yet) and fsyncs it, so a
 *  rename that follows publishes the whole file. */
export function writeSynced(file: string, data: string | Uint8Array, flag: 'w' | 'wx' = 'w'): void {
  const fd = fs.openSync(file, flag);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function writeFileAtomic(filePath: string, data: string | Uint8Array): void {
  const tmp = `${filePath}.tmp-${process.pid}`;
  try {
    writeSynced(tmp, data);
    fs.renameSync(tmp, filePath);
  } catch (e) {
    try { fs.rmSync(tmp, { force: true }); } catch { /* best effort */ }
    throw new TvaeError(`cannot write ${filePath}: ${message(e)}`);
  }
}

export function prepareRunFolder(dir: string, opts: { resume: boolean }): void {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) fail(`run folder ${dir} exists and is not a directory`);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    fail(`cannot create run folder ${dir}: ${message(e)}`);
  }
  if (!opts.resume && fs.existsSync(path.join(dir, 'config.json'))) {
    fail(`run folder ${dir} holds a run already (config.json exists); pass another --out or --resume`);
  }
}

export function writeJson(filePath: string, value: unknown): void {
  writeFileAtomic(filePath, JSON.stringify(value, null, 2) + '\n');
}

export function readJson<T>(filePath: string, what: string): T {
  if (!fs.existsSync(filePath)) fail(`${what} not found: ${filePath}`);
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (e) {
    fail(`cannot read ${what} ${filePath}: ${message(e)}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    fail(`${what} is not valid JSON: ${filePath}: ${message(e)}`);
  }
}

/** CSV with a header taken from the keys of the first row; missing cells are left empty. */
export function writeHistoryCsv(filePath: string, rows: Record<string, number | string>[]): void {
  writeFileAtomic(filePath, historyCsv(rows));
}

function checkCount(what: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) fail(`${what} must be a non-negative integer, got ${v}`);
}

/** Writes `<dir>/<name>.safetensors` (F32 tensors, epoch/step in the metadata); returns its path. */
export function writeCheckpoint(dir: string, name: string, ck: CheckpointFile, metadata: Record<string, string>): string {
  checkCount('checkpoint epoch', ck.epoch);
  checkCount('checkpoint step', ck.step);
  const tensors: Record<string, Tensor> = {};
  for (const [key, data] of Object.entries(ck.tensors)) {
    const shape = ck.shapes[key];
    if (shape === undefined) fail(`checkpoint "${name}": tensor "${key}" has no shape`);
    if (!(data instanceof Float32Array)) fail(`checkpoint "${name}": tensor "${key}" must be a Float32Array`);
    tensors[key] = { dtype: 'F32', shape, data };
  }
  for (const key of Object.keys(ck.shapes)) {
    if (!(key in ck.tensors)) fail(`checkpoint "${name}": shape given for "${key}" but no tensor`);
  }
  const meta = { ...metadata, epoch: String(ck.epoch), step: String(ck.step) };
  const filePath = path.join(dir, `${name}.safetensors`);
  writeFileAtomic(filePath, encodeSafetensors(tensors, meta));
  return filePath;
}

function parseCount(filePath: string, key: string, v: string | undefined): number {
  if (v === undefined) fail(`checkpoint ${filePath} has no "${key}" in its metadata`);
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) fail(`checkpoint ${filePath}: metadata "${key}" is not a non-negative integer: ${JSON.stringify(v)}`);
  return n;
}

export function readCheckpoint(filePath: string): CheckpointFile & { metadata: Record<string, string> } {
  if (!fs.existsSync(filePath)) fail(`checkpoint not found: ${filePath}`);
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(filePath);
  } catch (e) {
    fail(`cannot read checkpoint ${filePath}: ${message(e)}`);
  }
  const { tensors, metadata } = decodeSafetensors(bytes, `checkpoint ${filePath}`);
  const out: CheckpointFile & { metadata: Record<string, string> } = {
    epoch: parseCount(filePath, 'epoch', metadata.epoch),
    step: parseCount(filePath, 'step', metadata.step),
    tensors: {},
    shapes: {},
    metadata,
  };
  for (const [key, t] of Object.entries(tensors)) {
    if (t.dtype !== 'F32') fail(`checkpoint ${filePath}: tensor "${key}" has dtype ${t.dtype}, expected F32`);
    out.tensors[key] = t.data as Float32Array;
    out.shapes[key] = t.shape;
  }
  return out;
}
