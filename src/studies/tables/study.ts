// The tables study (`npm start -- --study tables`): real tables with MCAR holes at each rate and
// seed, imputed by the VAE (Gaussian and t prior, trained on the holed table itself) and by its
// peers in the same run (mean/mode here; kNN, MICE and a missForest-style forest from Debian's
// scikit-learn), scored on the hidden cells only (score.ts), reported with Welch verdicts
// (report.ts). The VAE's training is sized in optimizer steps, not epochs: the sets are tiny (wine
// has 178 rows, 3 minibatches an epoch), so a fixed number of epochs starves the small ones. On a
// software adapter the VAE takes fewer steps and the forest is smaller; the report says so.
// Under a job (npm start) every finished (set, rate, seed, method) is kept in the job's folder
// (kept.ts) and reused by --resume.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/run_folder.ts';
import type { StudyOptions } from '../options.ts';
import { loadTableSet, TABLE_SETS, type TableSetName } from './datasets.ts';
import { maskSeed, mcarMask } from './mcar.ts';
import { meanModeImpute } from './mean_mode.ts';
import { runSklearnPeers, SKLEARN_METHODS, type PeerJob, type SklearnSettings } from './peers.ts';
import { writeTablesReport, type MethodName, type ResultRow, type StudyContext } from './report.ts';
import { realScales, scoreImputation } from './score.ts';
import { cols, withHoles, type StudyTable } from './table.ts';
import { epochsFor, openVae, VAE_SETTINGS, type Prior, type VaeSide } from './vae.ts';
import { loadCell, saveCell } from './kept.ts';

export interface TablesStudyOptions extends StudyOptions {
  sets?: TableSetName[];
  /** missing rates of the MCAR holes (default 0.2 and 0.5) */
  rates?: number[];
  /** the interpreter of the scikit-learn peers (default $TVAE_PYTHON or /usr/bin/python3) */
  python?: string;
  /** importance samples per row of the VAE's imputation (default VAE_SETTINGS.K; tests use fewer) */
  K?: number;
  /** the VAE's training objective: the importance-weighted bound with this many draws per row
   *  (default 1: the ELBO) */
  iw?: number;
  /** no VAE (peers only), with this reason in the report */
  noVae?: string;
  /** the scikit-learn peers' sizes (default: TABLES_SIZES for the adapter) */
  sklearn?: SklearnSettings;
}

/** Full sizes, and the scaled-down ones of a software adapter (2 shared CPU cores). `steps`: Adam
 *  steps per VAE, whatever the set's size (epochs = steps / minibatches per epoch, rounded up). */
export const TABLES_SIZES = {
  gpu: { steps: 5000, seeds: 3, sklearn: { knn_k: 5, mice_iter: 10, forest_trees: 100, forest_iter: 10 } },
  software: { steps: 600, seeds: 3, sklearn: { knn_k: 5, mice_iter: 5, forest_trees: 10, forest_iter: 3 } },
} satisfies Record<string, { steps: number; seeds: number; sklearn: SklearnSettings }>;

const METHOD_OF = { knn: 'kNN', mice: 'MICE', forest: 'forest' } as const;
const PRIOR_NAME: Record<Prior, MethodName> = { gaussian: 'VAE, Gaussian prior', t: 'VAE, t prior' };

export async function tablesStudy(o: TablesStudyOptions, log: (l: string) => void): Promise<string> {
  const sets = o.sets ?? [...TABLE_SETS];
  const rates = o.rates ?? [0.2, 0.5];
  // every option and table is checked before the GPU worker opens
  const tables = sets.map((s) => limited(loadTableSet(s), o.limit));
  for (const t of tables) realScales(t);
  const vae: VaeSide | undefined = o.noVae ? undefined : await openVae(log, o.K, o.iw);
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
  const seeds = o.seeds ?? size.seeds;
  // --epochs fixes the epochs of every set; else each set gets the same number of Adam steps
  const epochsOf = (t: StudyTable) => o.epochs ?? epochsFor(t.rows, size.steps);
  const training = o.epochs !== undefined ? `${o.epochs} epochs` : `${size.steps} Adam steps (${sets.map((s, i) => `${s} ${epochsOf(tables[i])} epochs`).join(', ')})`;
  if (software) log(`software adapter: the tables study is scaled down (VAE ${training}, ${TABLES_SIZES.gpu.steps} steps on a GPU; MICE ${size.sklearn.mice_iter} rounds instead of ${TABLES_SIZES.gpu.sklearn.mice_iter}; forest ${size.sklearn.forest_trees} trees x ${size.sklearn.forest_iter} rounds instead of ${TABLES_SIZES.gpu.sklearn.forest_trees} x ${TABLES_SIZES.gpu.sklearn.forest_iter})`);
  if (!vae) log(`VAE not run: ${o.noVae}`);
  mkdirSync(o.out, { recursive: true });

  interface Job extends PeerJob { set: TableSetName; rate: number; truth: StudyTable; hide: Uint8Array; scales: Float64Array; dir: string; epochs: number }
  const jobs: Job[] = [];
  for (const [si, set] of sets.entries()) {
    const truth = tables[si];
    const scales = realScales(truth);
    for (const rate of rates) {
      for (let seed = 1; seed <= seeds; seed++) {
        const hide = mcarMask(truth, rate, maskSeed(TABLE_SETS.indexOf(set), rate, seed));
        const id = `${set}-r${rate}-s${seed}`;
        jobs.push({ id, set, rate, seed, truth, hide, scales, table: withHoles(truth, hide), dir: join(o.out, id), epochs: epochsOf(truth) });
      }
    }
  }
  // one folder per masked table holds its methods' results; a resumed job must plan the same ones
  o.job?.plan(jobs.map((j) => j.dir));

  const rows: ResultRow[] = [];
  const add = (j: Job, method: MethodName, imputed: Float64Array, seconds: number) =>
    rows.push({ set: j.set, rate: j.rate, seed: j.seed, method, seconds, scores: scoreImputation(j.truth, j.hide, imputed, j.scales) });
  // what a cell's numbers depend on besides its set, rate and seed: a kept file under another key is ignored
  const holes = (j: Job) => j.hide.reduce((a, b) => a + b, 0);
  const keyOf = (j: Job, method: MethodName, settings: object) => JSON.stringify({ method, rows: j.truth.rows, columns: cols(j.truth), holes: holes(j), ...settings });
  const vaeKey = (j: Job, method: MethodName) => keyOf(j, method, { epochs: j.epochs, ...VAE_SETTINGS, K: vae?.K, ...(vae && vae.iw > 1 ? { iw: vae.iw } : {}) });
  const peerKey = (j: Job, method: MethodName) => keyOf(j, method, { sklearn: size.sklearn });
  /** the kept result (under a job), else undefined */
  const kept = (j: Job, method: MethodName, key: string) => {
    const k = o.job ? loadCell(j.dir, method, key, j.truth.values.length) : undefined;
    if (k) log(`reused: ${j.id} ${method}, run before`);
    return k;
  };
  const finish = (j: Job, method: MethodName, key: string, imputed: Float64Array, seconds: number) => {
    saveCell(j.dir, method, key, { imputed, seconds });
    add(j, method, imputed, seconds);
  };

  for (const j of jobs) {
    const key = keyOf(j, 'mean/mode', {});
    const k = kept(j, 'mean/mode', key);
    if (k) add(j, 'mean/mode', k.imputed, k.seconds);
    else {
      const t0 = performance.now();
      const imputed = meanModeImpute(j.table);
      finish(j, 'mean/mode', key, imputed, (performance.now() - t0) / 1000);
    }
  }

  // the peers run in their own process while the VAEs train: two processes share the CPU better than one
  const peersKept = new Map<string, Record<string, { imputed: Float64Array; seconds: number }>>();
  for (const j of jobs) {
    const got = SKLEARN_METHODS.map((m) => kept(j, METHOD_OF[m], peerKey(j, METHOD_OF[m])));
    if (got.every((g) => g)) peersKept.set(j.id, Object.fromEntries(SKLEARN_METHODS.map((m, i) => [m, got[i]!])));
  }
  const peerJobs = jobs.filter((j) => !peersKept.has(j.id));
  log(`\n== scikit-learn peers (kNN, MICE, forest) on ${peerJobs.length} masked tables, in the background`);
  const stopPeers = new AbortController();
  const peersRun = peerJobs.length ? runSklearnPeers(peerJobs, size.sklearn, { python: o.python, log, signal: stopPeers.signal }) : undefined;
  try {
    for (const j of vae ? jobs : []) {
      for (const prior of ['gaussian', 't'] as const) {
        const method = PRIOR_NAME[prior], key = vaeKey(j, method);
        const k = kept(j, method, key);
        if (k) {
          add(j, method, k.imputed, k.seconds);
          continue;
        }
        log(`\n== ${j.id}: VAE, ${prior} prior, ${j.epochs} epochs`);
        const t0 = performance.now();
        const imputed = await vae!.impute({ table: j.table, prior, seed: j.seed, epochs: j.epochs });
        finish(j, method, key, imputed, (performance.now() - t0) / 1000);
      }
    }
  } catch (e) {
    stopPeers.abort();
    await peersRun;
    throw e;
  }
  const peers = await peersRun;
  if (peers && !peers.available) log(`scikit-learn peers skipped: ${peers.reason}`);
  for (const j of jobs) {
    const k = peersKept.get(j.id);
    if (k) for (const m of SKLEARN_METHODS) add(j, METHOD_OF[m], k[m].imputed, k[m].seconds);
    else if (peers?.available) {
      for (const m of SKLEARN_METHODS) finish(j, METHOD_OF[m], peerKey(j, METHOD_OF[m]), peers.imputed.get(j.id)![m], peers.seconds.get(j.id)![m]);
    }
  }
  for (const j of jobs) o.job?.evaluated(j.dir);
  for (const r of rows) if (r.seed === 1) log(`${r.set} ${r.rate * 100}% seed 1 ${r.method}: real RMSE ${r.scores.realRmse.toFixed(3)}, binary error ${r.scores.binaryError.toFixed(3)}, categorical error ${r.scores.categoricalError.toFixed(3)}`);

  // the peers' versions: from this attempt, else from the earlier one that made the kept results
  const versions = join(o.out, 'peers.json');
  if (peers?.available) writeFileAtomic(versions, JSON.stringify({ sklearn: peers.sklearn, python: peers.python }));
  const peersUsed = peers ?? { available: true as const, ...keptVersions(versions) };
  const ctx: StudyContext = {
    sets: sets.map((s) => { const t = jobs.find((j) => j.set === s)!.truth; return { name: s, rows: t.rows, columns: t.columns, realHoles: t.values.filter(Number.isNaN).length }; }),
    rates, seeds, training, gpuTraining: `${TABLES_SIZES.gpu.steps} Adam steps`, software, sklearn: size.sklearn,
    vae: vae ? { describe: vae.describe(training) } : { reason: o.noVae ?? '' },
    peers: peersUsed.available ? { describe: `scikit-learn ${peersUsed.sklearn} on Python ${peersUsed.python}` } : { reason: peersUsed.reason },
  };
  const path = join(o.out, 'report.md');
  writeFileAtomic(path, writeTablesReport(rows, ctx));
  writeFileAtomic(join(o.out, 'results.json'), JSON.stringify({ context: ctx, rows }, null, 1));
  return path;
}

function keptVersions(file: string): { sklearn: string; python: string } {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { sklearn?: unknown; python?: unknown };
    if (typeof v.sklearn === 'string' && typeof v.python === 'string') return { sklearn: v.sklearn, python: v.python };
  } catch { /* not kept: say so below */ }
  return { sklearn: '(version not kept)', python: '(version not kept)' };
}
