// The VAE side of the study: a table VAE (src/tables/impute_table.ts: likelihood over observed
// cells only, encoder fed [x | mask], MIWAE conditional mean with K importance samples, the mode
// for binary and categorical columns) trained on the holed table itself, real holes included, and
// imputed. One GPU worker serves every job of the study. imputeTable's own held-out cells are
// turned off (holdout 0): here the study's hidden cells are the score, and the VAE trains on every
// cell the peers see.
import { fail } from '../../errors.ts';
import type { AdapterDescription } from '../../gpu/device.ts';
import { openWorker, type GpuWorker } from '../../node/worker.ts';
import { imputeTable, MAX_IW, type ImputeOptions } from '../../tables/impute_table.ts';
import { tableFromCells } from '../../tables/read_table.ts';
import type { TableData } from '../../tables/table.ts';
import { cols, type StudyTable } from './table.ts';

export type Prior = 'gaussian' | 't';

export interface VaeRequest {
  /** the table with the study's holes (NaN), real holes included */
  table: StudyTable;
  prior: Prior;
  seed: number;
  epochs: number;
}

export type VaeImpute = (r: VaeRequest) => Promise<Float64Array>;

/** Settings of every VAE of the study other than the prior, seed and epochs (imputeTable's defaults otherwise). */
export const VAE_SETTINGS = { nu: 5, K: 100, hidden: [128, 128], lr: 1e-3 } as const;

/** Epochs that give `steps` Adam steps (at least) on a table of `rows` rows, batch min(64, rows) as imputeTable's. */
export function epochsFor(rows: number, steps: number): number {
  return Math.max(1, Math.ceil(steps / Math.ceil(rows / Math.min(64, rows))));
}

export interface VaeSide {
  impute: VaeImpute;
  /** importance samples per row of the imputation */
  K: number;
  /** draws per row of the training objective (1: the ELBO, else the importance-weighted bound) */
  iw: number;
  adapter: AdapterDescription;
  /** `training`: how long each VAE trains, in words */
  describe: (training: string) => string;
  close: () => Promise<void>;
}

export async function openVae(log: (l: string) => void, K: number = VAE_SETTINGS.K, iw = 1): Promise<VaeSide> {
  if (!(Number.isInteger(iw) && iw >= 1 && iw <= MAX_IW)) fail(`the tables study's iw must be an integer in 1..${MAX_IW}, got ${iw}`);
  const worker: GpuWorker = await openWorker({ log });
  return {
    adapter: worker.adapter,
    K,
    iw,
    impute: (r) => imputeStudyTable(worker, r, K, iw),
    describe: (training) => `table VAE (src/tables/impute_table.ts), encoder [x | mask] -> ${VAE_SETTINGS.hidden.join(', ')} -> latent min(10, max(2, columns - 1)), decoder mirrored; likelihood per column (Gaussian with a learned variance, Bernoulli, softmax) over observed cells only; Adam lr ${VAE_SETTINGS.lr}, batch min(64, rows), ${training}${iw > 1 ? `, trained on the importance-weighted bound (MIWAE) with ${iw} draws per row` : ''}; t prior iid with nu = ${VAE_SETTINGS.nu}; imputation: the self-normalised importance-sampling conditional mean with K = ${K} (mode for binary/categorical); on ${worker.adapter.vendor} ${worker.adapter.architecture} (${worker.runtime})`,
    close: () => worker.close(),
  };
}

/** The study's table as the tables work's TableData: cells as text, '' for a hole, types given. */
export function toTableData(t: StudyTable): TableData {
  const d = cols(t);
  const cells = Array.from({ length: t.rows }, (_, i) => t.columns.map((c, j) => {
    const v = t.values[i * d + j];
    return Number.isNaN(v) ? '' : c.type === 'real' ? String(v) : c.levels![v];
  }));
  return tableFromCells({ source: t.name, header: t.columns.map((c) => c.name), cells, na: [''], types: Object.fromEntries(t.columns.map((c) => [c.name, c.type])), rowWord: 'row' });
}

async function imputeStudyTable(worker: GpuWorker, r: VaeRequest, K: number, iw: number): Promise<Float64Array> {
  const data = toTableData(r.table);
  const o: ImputeOptions = { prior: r.prior, nu: VAE_SETTINGS.nu, epochs: r.epochs, seed: r.seed, K, iw, hidden: [...VAE_SETTINGS.hidden], lr: VAE_SETTINGS.lr, holdout: 0 };
  const res = await imputeTable(worker, data, o);
  // level indices of the TableData (sorted levels) back to the study's (first-seen) levels
  const d = cols(r.table);
  const out = res.completed.slice();
  r.table.columns.forEach((c, j) => {
    if (c.type === 'real') return;
    const theirs = data.columns[j].levels;
    for (let i = 0; i < r.table.rows; i++) {
      const k = out[i * d + j], name = theirs[k];
      const mine = c.levels!.indexOf(name);
      if (mine < 0) fail(`${r.table.name}: the VAE imputed level ${k} ("${name}") of column "${c.name}", which the table does not have`);
      out[i * d + j] = mine;
    }
  });
  // observed cells keep the study's own numbers (the model's copy went through float32)
  r.table.values.forEach((v, k) => { if (!Number.isNaN(v)) out[k] = v; });
  return out;
}
