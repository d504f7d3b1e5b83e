// `npm run impute`'s job: read and check the table and every option, claim the run folder, train
// through a GPU worker (checkpoint after every epoch, so Ctrl-C or a kill leaves a resumable run),
// impute, and write the completed table(s) and the report. Nothing of the user's is overwritten:
// the output files must not exist and are created with no-clobber links at the very end.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fail } from '../errors.ts';
import { readCheckpoint, readJson, writeCheckpoint, writeFileAtomic, writeHistoryCsv, writeJson } from '../io/run_folder.ts';
import { checkRunTarget, claimRunFolder } from '../io/run_target.ts';
import { requireFinite, requireLength } from '../io/check_tensors.ts';
import { onInterrupt } from '../node/interrupts.ts';
import { openWorker, type GpuWorker } from '../node/worker.ts';
import { modelLayout } from '../parts/model.ts';
import type { EpochStats, TrainerState } from '../train/trainer.ts';
import type { ImputeCliOptions } from '../cli/impute_options.ts';
import { readTableBytes } from './read_table.ts';
import { describeColumns, type TableData } from './table.ts';
import { checkTableJob, imputeTable, meanModeHeldOut, type ImputeOptions, type ImputeResult } from './impute_table.ts';
import { completedCsv, completedNpy } from './write_table.ts';
import { tableReport } from './impute_report.ts';
import { imputeResumeLine } from '../io/impute_args.ts';

/** The largest table file read (the whole file is held in memory, several times over). */
export const MAX_TABLE_BYTES = 256 * 1024 * 1024;

export interface ImputeIo {
  log(line: string): void;
}

/** The completed files this run writes: --out, then one per multiple imputation. */
export function outputPaths(o: ImputeCliOptions): string[] {
  const ext = extname(o.out), stem = o.out.slice(0, o.out.length - ext.length);
  return [o.out, ...Array.from({ length: o.multiple }, (_, m) => `${stem}.imputation-${m + 1}${ext}`)];
}

function checkOutputs(o: ImputeCliOptions, t: TableData): void {
  const ext = extname(o.out).toLowerCase();
  if (ext === '.npy' && t.format.kind !== 'npy') fail(`--out ${o.out}: a .npy output needs a .npy table; write a .csv`);
  if (ext !== '.npy' && !['.csv', '.tsv', '.txt'].includes(ext)) fail(`--out ${o.out}: the completed table is written as .csv, .tsv, .txt (or .npy for a .npy table)`);
  for (const p of outputPaths(o)) {
    if (fs.existsSync(p)) fail(`${p} exists: the completed table is never written over a file (choose another --out)`);
  }
  const dir = dirname(o.out);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) fail(`--out ${o.out}: the folder ${dir} does not exist`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    fail(`--out ${o.out}: the folder ${dir} is not writable`);
  }
  if (o.run === o.out || outputPaths(o).includes(o.run)) fail(`--run ${o.run} is also an output file`);
}

/** Writes a file that must not exist: a temporary file linked into place (link fails if the
 *  name was taken meanwhile, so nothing is ever replaced). */
function writeNew(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data, { flag: 'wx' });
  try {
    fs.linkSync(tmp, path);
  } catch (e) {
    fail(`cannot write ${path}: ${(e as Error).message}`);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function jobOptions(o: ImputeCliOptions): ImputeOptions {
  return { prior: o.prior, nu: o.nu, multivariate: o.multivariate, epochs: o.epochs, batch: o.batch, hidden: o.hidden, latent: o.latent, lr: o.lr, seed: o.seed, K: o.K, iw: o.iw, multiple: o.multiple, holdout: o.holdout, pseudoGibbsRounds: o.pseudoGibbs };
}

/** What must match for --resume: the table's bytes and everything that shapes the training
 *  (not --epochs, --K, --multiple, which may change between a run and its resumption). */
function resumeKey(o: ImputeCliOptions, fileHash: string, config: unknown): string {
  return sha256(JSON.stringify({ fileHash, config, types: o.types, na: o.na, holdout: o.holdout }));
}

/** The --iw a run was trained with: config.json's model.iw (recorded only when > 1), checked as a
 *  count before it is printed. */
function recordedIw(model: { iw?: unknown } | undefined, run: string): number {
  const v = model?.iw;
  if (v === undefined) return 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(`--resume: ${run}/config.json records iw ${JSON.stringify(v)?.slice(0, 40)}, not a positive integer`);
  return v;
}

function readResume(o: ImputeCliOptions, key: string, paramCount: number): { state: TrainerState; history: EpochStats[] } | undefined {
  const saved = readJson<{ resumeKey: string; model?: { iw?: unknown } }>(join(o.run, 'config.json'), 'run configuration');
  if (saved.resumeKey !== key) {
    // the objective is the one setting a user is likely to change on resuming: named, with both values
    const recorded = recordedIw(saved.model, o.run);
    if (recorded !== (o.iw ?? 1)) fail(`--resume: the run in ${o.run} was trained with --iw ${recorded}, not --iw ${o.iw ?? 1}; resume with --iw ${recorded} (the training objective cannot change within a run)`);
    fail(`--resume: the run in ${o.run} was trained on another table or with other settings; pass the same --data and options`);
  }
  const ckPath = join(o.run, 'checkpoint.safetensors');
  if (!fs.existsSync(ckPath)) return undefined;
  const ck = readCheckpoint(ckPath);
  if (ck.metadata.resumeKey !== key) fail(`--resume: ${ckPath} belongs to another run`);
  const params = ck.tensors.params ?? fail(`--resume: ${ckPath} holds no "params" tensor`);
  requireLength(`${ckPath} params`, params, paramCount, 'this table model');
  requireFinite(`${ckPath} params`, params);
  const moments = ['moment0', 'moment1'].map((k) => ck.tensors[k] ?? fail(`--resume: ${ckPath} holds no "${k}" tensor (Adam's moments)`));
  moments.forEach((m, i) => {
    requireLength(`${ckPath} moment${i}`, m, paramCount, 'one value per parameter');
    requireFinite(`${ckPath} moment${i}`, m);
  });
  // equal: training finished and the run stopped while imputing, so it only imputes now
  if (ck.epoch > o.epochs) fail(`--resume: the run already has ${ck.epoch} epochs, more than --epochs ${o.epochs}`);
  const history = readJson<EpochStats[]>(join(o.run, 'history.json'), 'training history').slice(0, ck.epoch);
  if (history.length !== ck.epoch) fail(`--resume: ${o.run}/history.json lists ${history.length} epochs but the checkpoint is at epoch ${ck.epoch}`);
  return { state: { epoch: ck.epoch, step: ck.step, params, moments }, history };
}

function saveCheckpoint(run: string, key: string, st: TrainerState, history: EpochStats[]): void {
  writeCheckpoint(run, 'checkpoint', {
    epoch: st.epoch, step: st.step,
    tensors: { params: st.params, ...Object.fromEntries(st.moments.map((m, i) => [`moment${i}`, m])) },
    shapes: { params: [st.params.length], ...Object.fromEntries(st.moments.map((m, i) => [`moment${i}`, [m.length]])) },
  }, { resumeKey: key });
  writeJson(join(run, 'history.json'), history.slice(0, st.epoch));
  writeHistoryCsv(join(run, 'history.csv'), history.slice(0, st.epoch) as unknown as Record<string, number>[]);
}

export async function imputeRun(o: ImputeCliOptions, io: ImputeIo): Promise<{ result: ImputeResult; table: TableData; outputs: string[] }> {
  // every check on user input first: nothing is written and no browser starts before they pass
  if (!fs.existsSync(o.data) || !fs.statSync(o.data).isFile()) fail(`--data ${o.data}: no such file`);
  const size = fs.statSync(o.data).size;
  if (size > MAX_TABLE_BYTES) fail(`--data ${o.data}: ${size} bytes, more than the ${MAX_TABLE_BYTES} a table may have`);
  const bytes = new Uint8Array(fs.readFileSync(o.data));
  const table = readTableBytes(bytes, o.data, { na: o.na, types: o.types });
  io.log(`${basename(o.data)}: ${table.rows} rows, ${table.columns.length} columns`);
  for (const line of describeColumns(table)) io.log(`  ${line}`);
  const job = jobOptions(o);
  const config = checkTableJob(table, job);
  checkOutputs(o, table);
  checkRunTarget(o.run, o.resume);
  const key = resumeKey(o, sha256(bytes), config);
  const resumed = o.resume ? readResume(o, key, modelLayout(config).bytes / 4) : undefined;
  if (o.resume && !resumed) io.log(`--resume: ${o.run} has no checkpoint yet; starting again from epoch 0`);

  // rebuilt from the options, shell-quoted: printed on an interrupt and kept in config.json
  const resumeLine = imputeResumeLine(o);
  const claim = claimRunFolder(o.run);
  let started = false;
  let last: { state: TrainerState; history: EpochStats[] } | undefined;
  let saved = resumed?.state.epoch ?? 0;
  const stop = onInterrupt((signal) => {
    if (!started) {
      claim.abandon();
      return `interrupted (${signal}) before training started; nothing was written`;
    }
    if (last && last.state.epoch > saved) saveCheckpoint(o.run, key, last.state, last.history);
    claim.lock.release();
    return `interrupted (${signal}): ${o.run} keeps epoch ${Math.max(saved, last?.state.epoch ?? 0)} of ${o.epochs}; resume with: ${resumeLine}`;
  });
  let worker: GpuWorker | undefined;
  try {
    worker = await openWorker({ log: io.log });
    const a = worker.adapter;
    io.log(`adapter: ${a.vendor} ${a.architecture} ${a.description}${a.isSoftware ? ' (software)' : ''}, runtime: ${worker.runtime}`);
    checkTableJob(table, job, a); // the device's limits
    writeJson(join(o.run, 'config.json'), {
      resumeKey: key, resumeCommand: resumeLine, model: config, options: o, adapter: a,
      data: { file: o.data, sha256: sha256(bytes), rows: table.rows, columns: table.columns },
    });
    started = true;
    const t0 = performance.now();
    const result = await imputeTable(worker, table, {
      ...job,
      mwgIterations: o.mwg, // comparison only: not part of the job's key
      resume: resumed,
      onEpoch(stats, state, history) {
        last = { state, history };
        saveCheckpoint(o.run, key, state, history);
        saved = state.epoch;
        if (stats.epoch === 1 || stats.epoch % 10 === 0 || stats.epoch === o.epochs) {
          io.log(`epoch ${stats.epoch}/${o.epochs}  train loss ${stats.trainLoss.toFixed(3)}  (all rows) ${stats.validLoss.toFixed(3)}`);
        }
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const baseline = meanModeHeldOut(table, result.heldOutMask);
    const outputs = outputPaths(o);
    const write = (p: string, values: Float64Array) => writeNew(p, extname(p).toLowerCase() === '.npy' ? completedNpy(table, values) : completedCsv(table, values));
    write(outputs[0], result.completed);
    result.multiple.forEach((m, i) => write(outputs[i + 1], m));
    writeFileAtomic(join(o.run, 'report.md'), tableReport({ table, result, baseline, options: o, seconds, adapter: `${a.vendor} ${a.architecture}${a.isSoftware ? ' (software)' : ''}`, outputs }));
    writeJson(join(o.run, 'held_out.json'), { vae: result.heldOut, pseudoGibbs: result.heldOutPseudoGibbs, mwg: result.heldOutMwg, mwgAcceptance: result.mwgAcceptance, meanMode: baseline, meanEss: result.meanEss });
    return { result, table, outputs };
  } catch (e) {
    if (!started) claim.abandon();
    throw e;
  } finally {
    stop();
    claim.lock.release();
    await worker?.close();
  }
}
