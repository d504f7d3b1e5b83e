// The tables study (`npm start -- --study tables`): real tables with MCAR holes at each rate and
// seed, imputed by the VAE (Gaussian and t prior, trained on the holed table itself) and by its
// peers in the same run (mean/mode here; kNN, MICE and a missForest-style forest from Debian's
// scikit-learn), scored on the hidden cells only (score.ts), reported with Welch verdicts
// (report.ts). On a software adapter the VAE trains fewer epochs and the forest is smaller; the
// report says so.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/run_folder.ts';
import type { StudyOptions } from '../options.ts';
import { loadTableSet, TABLE_SETS, type TableSetName } from './datasets.ts';
import { maskSeed, mcarMask } from './mcar.ts';
import { meanModeImpute } from './mean_mode.ts';
import { runSklearnPeers, SKLEARN_METHODS, type PeerJob, type SklearnSettings } from './peers.ts';
import { writeTablesReport, type MethodName, type ResultRow, type StudyContext } from './report.ts';
import { realScales, scoreImputation } from './score.ts';
import { withHoles, type StudyTable } from './table.ts';
import { openVae, type Prior, type VaeSide } from './vae.ts';

export interface TablesStudyOptions extends StudyOptions {
  sets?: TableSetName[];
  /** missing rates of the MCAR holes (default 0.2 and 0.5) */
  rates?: number[];
  /** the interpreter of the scikit-learn peers (default $TVAE_PYTHON or /usr/bin/python3) */
  python?: string;
  /** importance samples per row of the VAE's imputation (default VAE_SETTINGS.K; tests use fewer) */
  K?: number;
  /** no VAE (peers only), with this reason in the report */
  noVae?: string;
  /** the scikit-learn peers' sizes (default: TABLES_SIZES for the adapter) */
  sklearn?: SklearnSettings;
}

/** Full sizes, and the scaled-down ones of a software adapter (2 shared CPU cores). */
export const TABLES_SIZES = {
  gpu: { epochs: 300, seeds: 3, sklearn: { knn_k: 5, mice_iter: 10, forest_trees: 100, forest_iter: 10 } },
  software: { epochs: 40, seeds: 3, sklearn: { knn_k: 5, mice_iter: 5, forest_trees: 10, forest_iter: 3 } },
} satisfies Record<string, { epochs: number; seeds: number; sklearn: SklearnSettings }>;

const METHOD_OF = { knn: 'kNN', mice: 'MICE', forest: 'forest' } as const;
const PRIOR_NAME: Record<Prior, MethodName> = { gaussian: 'VAE, Gaussian prior', t: 'VAE, t prior' };

export async function tablesStudy(o: TablesStudyOptions, log: (l: string) => void): Promise<string> {
  const sets = o.sets ?? [...TABLE_SETS];
  const rates = o.rates ?? [0.2, 0.5];
  // every option and table is checked before the GPU worker opens
  const tables = sets.map((s) => limited(loadTableSet(s), o.limit));
  for (const t of tables) realScales(t);
  const vae: VaeSide | undefined = o.noVae ? undefined : await openVae(log, o.K);
  try {
    return await runStudy(o, sets, rates, tables, vae, log);
  } finally {
    await vae?.close();
  }
}

/** `limit` rows spread evenly over the table (its rows are often sorted by class: a prefix of
 *  wine is one cultivar, a constant column). */
export function limited(t: StudyTable, limit?: number): StudyTable {
  if (limit === undefined || limit >= t.rows) return t;
  const d = t.columns.length, values = new Float64Array(limit * d);
  for (let i = 0; i < limit; i++) {
    const from = Math.floor((i * t.rows) / limit);
    values.set(t.values.subarray(from * d, (from + 1) * d), i * d);
  }
  return { ...t, rows: limit, values };
}

async function runStudy(o: TablesStudyOptions, sets: TableSetName[], rates: number[], tables: StudyTable[], vae: VaeSide | undefined, log: (l: string) => void): Promise<string> {
  const software = vae?.adapter.isSoftware ?? false;
  const size = { ...(software ? TABLES_SIZES.software : TABLES_SIZES.gpu) };
  if (o.sklearn) size.sklearn = o.sklearn;
  const seeds = o.seeds ?? size.seeds, epochs = o.epochs ?? size.epochs;
  if (software) log(`software adapter: the tables study is scaled down (VAE ${epochs} epochs instead of ${TABLES_SIZES.gpu.epochs}; MICE ${size.sklearn.mice_iter} rounds instead of ${TABLES_SIZES.gpu.sklearn.mice_iter}; forest ${size.sklearn.forest_trees} trees x ${size.sklearn.forest_iter} rounds instead of ${TABLES_SIZES.gpu.sklearn.forest_trees} x ${TABLES_SIZES.gpu.sklearn.forest_iter})`);
  if (!vae) log(`VAE not run: ${o.noVae}`);
  mkdirSync(o.out, { recursive: true });

  interface Job extends PeerJob { set: TableSetName; rate: number; truth: StudyTable; hide: Uint8Array; scales: Float64Array }
  const jobs: Job[] = [];
  for (const [si, set] of sets.entries()) {
    const truth = tables[si];
    const scales = realScales(truth);
    for (const rate of rates) {
      for (let seed = 1; seed <= seeds; seed++) {
        const hide = mcarMask(truth, rate, maskSeed(TABLE_SETS.indexOf(set), rate, seed));
        jobs.push({ id: `${set}-r${rate}-s${seed}`, set, rate, seed, truth, hide, scales, table: withHoles(truth, hide) });
      }
    }
  }

  const rows: ResultRow[] = [];
  const add = (j: Job, method: MethodName, imputed: Float64Array, seconds: number) =>
    rows.push({ set: j.set, rate: j.rate, seed: j.seed, method, seconds, scores: scoreImputation(j.truth, j.hide, imputed, j.scales) });

  for (const j of jobs) {
    const t0 = performance.now();
    const imputed = meanModeImpute(j.table);
    add(j, 'mean/mode', imputed, (performance.now() - t0) / 1000);
  }

  // the peers run in their own process while the VAEs train: two processes share the CPU better than one
  log(`\n== scikit-learn peers (kNN, MICE, forest) on ${jobs.length} masked tables, in the background`);
  const stopPeers = new AbortController();
  const peersRun = runSklearnPeers(jobs, size.sklearn, { python: o.python, log, signal: stopPeers.signal });
  try {
    for (const j of vae ? jobs : []) {
      for (const prior of ['gaussian', 't'] as const) {
        log(`\n== ${j.id}: VAE, ${prior} prior, ${epochs} epochs`);
        const t0 = performance.now();
        const imputed = await vae!.impute({ table: j.table, prior, seed: j.seed, epochs });
        add(j, PRIOR_NAME[prior], imputed, (performance.now() - t0) / 1000);
      }
    }
  } catch (e) {
    stopPeers.abort();
    await peersRun;
    throw e;
  }
  const peers = await peersRun;
  if (!peers.available) log(`scikit-learn peers skipped: ${peers.reason}`);
  else {
    for (const j of jobs) {
      for (const m of SKLEARN_METHODS) add(j, METHOD_OF[m], peers.imputed.get(j.id)![m], peers.seconds.get(j.id)![m]);
    }
  }
  for (const r of rows) if (r.seed === 1) log(`${r.set} ${r.rate * 100}% seed 1 ${r.method}: real RMSE ${r.scores.realRmse.toFixed(3)}, binary error ${r.scores.binaryError.toFixed(3)}, categorical error ${r.scores.categoricalError.toFixed(3)}`);

  const ctx: StudyContext = {
    sets: sets.map((s) => { const t = jobs.find((j) => j.set === s)!.truth; return { name: s, rows: t.rows, columns: t.columns, realHoles: t.values.filter(Number.isNaN).length }; }),
    rates, seeds, epochs, software, sklearn: size.sklearn,
    vae: vae ? { describe: vae.describe(epochs) } : { reason: o.noVae ?? '' },
    peers: peers.available ? { describe: `scikit-learn ${peers.sklearn} on Python ${peers.python}` } : { reason: peers.reason },
  };
  const path = join(o.out, 'report.md');
  writeFileAtomic(path, writeTablesReport(rows, ctx));
  writeFileAtomic(join(o.out, 'results.json'), JSON.stringify({ context: ctx, rows }, null, 1));
  return path;
}
