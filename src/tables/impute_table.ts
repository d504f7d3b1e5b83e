// Impute a table in-process: train a table VAE on the incomplete table (the likelihood over
// observed cells only, the encoder seeing [x | mask]) and fill its missing cells, through any open
// GPU worker (headless Chromium or Dawn in Node). The CLI (`npm run impute`) and the tables study
// both call `imputeTable`; the CLI adds the run folder (checkpoints, resume) through its hooks.
//
// The held-out score: a seeded `holdout` fraction (10%) of the observed cells is hidden during
// training and imputed from the rest; real columns are scored by RMSE in standardised units, binary
// and categorical columns by the error rate. The model's standardisation of real columns is fitted
// on the cells training sees only (standardise.ts), so no held-out value leaks into training. The
// completed table is imputed again conditioned on every observed cell (held-out ones included, in
// the model's units), and observed cells are never changed.
import { fail, requirePositiveInt } from '../errors.ts';
import type { GpuWorker } from '../node/worker.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { checkDispatchFit, MAX_WORKGROUPS_PER_DIMENSION } from '../model/device_fit.ts';
import { ceil4 } from '../gpu/matrix.ts';
import type { EpochStats, TrainerState } from '../train/trainer.ts';
import { createRng, permutation } from '../rng.ts';
import { maskedRows, type TableData } from './table.ts';
import type { ImputeRowsResult } from './impute_gpu.ts';
import type { MwgRowsResult } from './impute_mwg.ts';
import { standardisedOn, toReaderUnits } from './standardise.ts';

/** The most importance samples per row in training (--iw): a step costs K times the ELBO's, and
 *  1000 keeps the default batch of 64 (64 000 rows) within one dispatch dimension. */
export const MAX_IW = 1000;

export interface ImputeOptions {
  prior: 'gaussian' | 't';
  /** t prior: degrees of freedom, and one chi2 per latent vector (multivariate) or per coordinate */
  nu?: number;
  multivariate?: boolean;
  epochs: number;
  /** rows per minibatch (default min(64, rows)) */
  batch?: number;
  /** hidden layer widths of the encoder (the decoder mirrors them); default [128, 128] */
  hidden?: number[];
  /** latent size; default the number of columns - 1, within 2..10 */
  latent?: number;
  /** Adam's learning rate (default 1e-3) */
  lr?: number;
  seed: number;
  /** importance samples per row (default 100) */
  K?: number;
  /** training objective: the importance-weighted bound (MIWAE) with this many draws per row;
   *  1 (the default): the ELBO */
  iw?: number;
  /** completed tables drawn by sampling-importance-resampling (default 0) */
  multiple?: number;
  /** fraction of observed cells hidden for the held-out score (default 0.1; 0: none) */
  holdout?: number;
  /** also score pseudo-Gibbs with this many rounds on the held-out cells (0 or absent: not run) */
  pseudoGibbsRounds?: number;
  /** also score Metropolis-within-Gibbs with this many iterations on the held-out cells (0 or absent: not run) */
  mwgIterations?: number;
  /** called after every epoch with its statistics and the trainer's state (the CLI checkpoints) */
  onEpoch?: (stats: EpochStats, state: TrainerState, history: EpochStats[]) => void | Promise<void>;
  /** continue from this state and history (the CLI's --resume) */
  resume?: { state: TrainerState; history: EpochStats[] };
}

export interface HeldOutScore {
  column: string;
  type: 'real' | 'binary' | 'categorical';
  /** held-out cells of this column */
  cells: number;
  /** real: RMSE in standardised units; binary/categorical: error rate */
  error: number;
}

export interface ImputeResult {
  config: VaeConfig;
  history: EpochStats[];
  /** (rows, columns): observed cells keep their value; missing cells imputed. Real columns in the
   *  data's units, binary and categorical columns as level indices (TableColumn.levels) */
  completed: Float64Array;
  /** M completed tables (same form) */
  multiple: Float64Array[];
  /** per column with held-out cells */
  heldOut: HeldOutScore[];
  /** the same cells imputed by pseudo-Gibbs, when asked for (comparison only) */
  heldOutPseudoGibbs?: HeldOutScore[];
  /** the same cells imputed by Metropolis-within-Gibbs, when asked for (comparison only), and its acceptance rate */
  heldOutMwg?: HeldOutScore[];
  mwgAcceptance?: number;
  /** the held-out cells (rows, columns): 1 where hidden during training */
  heldOutMask: Uint8Array;
  /** mean effective sample size of the K importance weights over rows */
  meanEss: number;
  params: Float32Array;
}

/** The model a table gets with these options (also what the CLI records in config.json). */
export function tableConfig(t: TableData, o: ImputeOptions): VaeConfig {
  const hidden = o.hidden ?? [128, 128];
  const latent = o.latent ?? Math.min(10, Math.max(2, t.columns.length - 1));
  const batch = o.batch ?? Math.min(64, t.rows);
  const D = t.width;
  const prior: VaeConfig['prior'] = o.prior === 't' ? { kind: 't', nu: o.nu ?? 5 } : { kind: 'gaussian' };
  if (o.prior !== 'gaussian' && o.prior !== 't') fail(`--prior must be gaussian or t, got ${String(o.prior)}`);
  // the bound weighs draws by log p(x_obs | z) + log p(z) - log q(z | x): a Gaussian prior's KL
  // row must then be the one-sample log q - log p (the t prior's always is)
  const iw = o.iw !== undefined && o.iw > 1 ? { iw: o.iw, ...(o.prior === 'gaussian' ? { kl: 'mc' as const } : {}) } : {};
  return {
    shape: { encoder: [2 * D, ...hidden], latent, decoder: [...hidden.slice().reverse(), D], masked: true },
    prior,
    ...(o.prior === 't' && o.multivariate ? { multivariate: true } : {}),
    likelihood: { kind: 'table', columns: t.columns.map((c) => ({ type: c.type, width: c.width })) },
    batch,
    ...iw,
    optimizer: { kind: 'adam', lr: o.lr ?? 1e-3 },
    seed: o.seed,
  };
}

/** Every check that needs no GPU, before any work: batch against rows, sizes against limits. */
export function checkTableJob(t: TableData, o: ImputeOptions, limits?: { maxStorageBufferBindingSize: number; maxBufferSize: number }): VaeConfig {
  requirePositiveInt('--epochs', o.epochs);
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) fail(`--seed must be an integer in 0..2^32-1, got ${o.seed}`);
  if (o.K !== undefined) requirePositiveInt('importance samples K', o.K);
  if (o.iw !== undefined && !(Number.isInteger(o.iw) && o.iw >= 1 && o.iw <= MAX_IW)) fail(`--iw must be an integer in 1..${MAX_IW}, got ${o.iw}`);
  if (o.multiple !== undefined && !(Number.isInteger(o.multiple) && o.multiple >= 0 && o.multiple <= 100)) fail(`--multiple must be an integer in 0..100, got ${o.multiple}`);
  if (o.mwgIterations !== undefined && !(Number.isInteger(o.mwgIterations) && o.mwgIterations >= 0 && o.mwgIterations <= 10000)) fail(`--mwg must be an integer in 0..10000, got ${o.mwgIterations}`);
  if (o.holdout !== undefined && !(o.holdout >= 0 && o.holdout < 0.5)) fail(`the held-out fraction must be in [0, 0.5), got ${o.holdout}`);
  const config = tableConfig(t, o);
  requirePositiveInt('--batch', config.batch);
  if (config.batch > t.rows) fail(`${t.source}: ${t.rows} rows, fewer than a batch of ${config.batch}: lower --batch`);
  // with the bound every data row of a batch is replicated iw times: the kernels see batch * iw rows
  const stepRows = config.batch * (config.iw ?? 1);
  if (config.iw && stepRows > MAX_WORKGROUPS_PER_DIMENSION) fail(`--iw ${config.iw} with a batch of ${config.batch} makes ${stepRows} rows per step, more than the ${MAX_WORKGROUPS_PER_DIMENSION} a dispatch allows: lower --iw or --batch`);
  checkDispatchFit(config.shape, config.batch);
  if (limits) {
    const cap = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
    const rowsBytes = t.rows * 2 * t.width * 4;
    const widest = Math.max(2 * t.width, ...config.shape.encoder);
    if (rowsBytes > cap || stepRows * ceil4(widest) * 4 > cap) {
      fail(`${t.source}: ${t.columns.length} columns (${t.width} model inputs with the categorical levels) x ${t.rows} rows need ${rowsBytes} bytes but this device binds at most ${cap}: drop columns or rows`);
    }
  }
  return config;
}

/** Seeded held-out cells: `fraction` of each column's observed cells, keeping at least one observed. */
export function chooseHeldOut(t: TableData, fraction: number, seed: number): Uint8Array {
  const C = t.columns.length, held = new Uint8Array(t.rows * C);
  if (fraction === 0) return held;
  const rng = createRng(seed * 31 + 17);
  for (let c = 0; c < C; c++) {
    const obs: number[] = [];
    for (let r = 0; r < t.rows; r++) if (t.mask[r * C + c]) obs.push(r);
    const n = Math.min(Math.round(fraction * obs.length), obs.length - 1);
    const order = permutation(obs.length, rng);
    for (let i = 0; i < n; i++) held[obs[order[i]] * C + c] = 1;
  }
  return held;
}

export interface HeldOutSplit {
  /** (rows, columns) 1 where hidden during training */
  held: Uint8Array;
  /** (rows, columns) 1 where training sees the cell */
  trainMask: Uint8Array;
  /** the table in the model's units: real columns standardised from the training cells only */
  model: TableData;
  /** the training rows [x | mask] in the model's units, held-out cells zero and unmarked */
  trainRows: Float32Array;
  /** the held-out error of imputations (rows, columns) in the model's units */
  score(imputed: Float64Array): HeldOutScore[];
}

/** The held-out cells, and the model's units fitted on the rest (what imputeTable trains on; the
 *  page scores its live held-out error with it). Scores are in the reader's standardised units
 *  (the column's sd over all its observed cells): the unit of the report, the same for every
 *  method, not a statistic of training. */
export function heldOutSplit(table: TableData, fraction: number, seed: number): HeldOutSplit {
  const held = chooseHeldOut(table, fraction, seed);
  const trainMask = table.mask.map((m, i) => (m && !held[i] ? 1 : 0));
  const model = standardisedOn(table, trainMask);
  return { held, trainMask, model, trainRows: maskedRows(model, trainMask), score: (v) => scoreHeldOut(table, held, toReaderUnits(model, table, v)) };
}

/** A cell's encoded truth: the standardised value or the level index. */
function truthOf(t: TableData, r: number, c: number): number {
  const col = t.columns[c];
  if (col.type === 'categorical') {
    for (let k = 0; k < col.width; k++) if (t.values[r * t.width + col.offset + k] === 1) return k;
  }
  return t.values[r * t.width + col.offset];
}

export function scoreHeldOut(t: TableData, held: Uint8Array, imputed: Float64Array): HeldOutScore[] {
  const C = t.columns.length;
  const out: HeldOutScore[] = [];
  t.columns.forEach((col, c) => {
    let n = 0, s = 0;
    for (let r = 0; r < t.rows; r++) {
      if (!held[r * C + c]) continue;
      n++;
      const truth = truthOf(t, r, c), v = imputed[r * C + c];
      s += col.type === 'real' ? (v - truth) ** 2 : Number(Math.round(v) !== truth);
    }
    if (n) out.push({ column: col.name, type: col.type, cells: n, error: col.type === 'real' ? Math.sqrt(s / n) : s / n });
  });
  return out;
}

/** Encoded-unit imputations to the data's units, observed cells set to their own values. */
function toDataUnits(t: TableData, v: Float64Array): Float64Array {
  const C = t.columns.length, out = new Float64Array(v.length);
  for (let r = 0; r < t.rows; r++) {
    for (let c = 0; c < C; c++) {
      const col = t.columns[c], i = r * C + c;
      const x = t.mask[i] ? truthOf(t, r, c) : v[i];
      out[i] = col.type === 'real' ? x * col.sd + col.mean : x;
    }
  }
  return out;
}

/**
 * Trains a table VAE on `table` and imputes it. `worker`: any open GPU worker (openWorker()).
 * Returns the completed table (real columns in the data's units, other columns as level indices;
 * write it with completedCsv), M multiply imputed tables, the held-out error per column (RMSE in
 * standardised units for real columns, error rate for binary and categorical ones) and the
 * training history. Every check on the table and options runs before any GPU work.
 */
export async function imputeTable(worker: GpuWorker, table: TableData, o: ImputeOptions): Promise<ImputeResult> {
  const config = checkTableJob(table, o, worker.adapter);
  const { held, model, trainRows, score } = heldOutSplit(table, o.holdout ?? 0.1, o.seed);
  await worker.call('tableInit', { config, rows: trainRows, count: table.rows });
  const history: EpochStats[] = o.resume ? o.resume.history.slice() : [];
  if (o.resume) await worker.call('importState', o.resume.state);
  let state = o.resume?.state;
  for (let e = (o.resume?.state.epoch ?? 0) + 1; e <= o.epochs; e++) {
    const stats = await worker.call<EpochStats>('runEpoch');
    state = await worker.call<TrainerState>('exportState');
    history.push(stats);
    await o.onEpoch?.(stats, state, history.slice());
  }
  state ??= await worker.call<TrainerState>('exportState');
  const K = o.K ?? 100, M = o.multiple ?? 0;
  // with no held-out cell (the tables study) there is nothing to score: skip that imputation
  const anyHeld = held.some((h) => h === 1);
  const scored = anyHeld ? await worker.call<ImputeRowsResult>('tableImpute', { config, params: state.params, rows: trainRows, count: table.rows, K, M: 0, seed: o.seed }) : undefined;
  const gibbs = o.pseudoGibbsRounds
    ? await worker.call<Float64Array>('tablePseudoGibbs', { config, params: state.params, rows: trainRows, count: table.rows, rounds: o.pseudoGibbsRounds })
    : undefined;
  const mwg = o.mwgIterations && anyHeld
    ? await worker.call<MwgRowsResult>('tableMwg', { config, params: state.params, rows: trainRows, count: table.rows, iterations: o.mwgIterations })
    : undefined;
  const final = await worker.call<ImputeRowsResult>('tableImpute', { config, params: state.params, rows: maskedRows(model), count: table.rows, K, M, seed: o.seed + 1 });
  return {
    config,
    history,
    completed: toDataUnits(model, final.values),
    multiple: final.multiple.map((m) => toDataUnits(model, m)),
    heldOut: scored ? score(scored.values) : [],
    ...(gibbs ? { heldOutPseudoGibbs: score(gibbs) } : {}),
    ...(mwg ? { heldOutMwg: score(mwg.values), mwgAcceptance: mwg.acceptance } : {}),
    heldOutMask: held,
    meanEss: final.ess.reduce((a, b) => a + b, 0) / final.ess.length,
    params: state.params,
  };
}

/** Mean/mode imputation's held-out error on the same cells: the baseline every report states. */
export function meanModeHeldOut(t: TableData, held: Uint8Array): HeldOutScore[] {
  const C = t.columns.length;
  const guess = new Float64Array(t.rows * C);
  t.columns.forEach((col, c) => {
    const counts = new Float64Array(col.type === 'real' ? 1 : col.levels.length);
    let s = 0, n = 0;
    for (let r = 0; r < t.rows; r++) {
      if (!t.mask[r * C + c] || held[r * C + c]) continue;
      const v = truthOf(t, r, c);
      if (col.type === 'real') {
        s += v;
        n++;
      } else counts[v]++;
    }
    const value = col.type === 'real' ? s / n : counts.indexOf(Math.max(...counts));
    for (let r = 0; r < t.rows; r++) guess[r * C + c] = value;
  });
  return scoreHeldOut(t, held, guess);
}
