// The tables study's Markdown: per set and missing rate, mean ± sd over seeds per method and
// column type; Welch verdicts of each VAE against each peer with the power of the test stated;
// plain sentences saying where a peer beats the VAE; the check "the VAE's real RMSE is at least
// 15% below mean imputation" as measured; and the t prior against the Gaussian one.
import { summarize, verdict, welchTest, VERDICT_LEVEL, type Summary } from '../../eval/aggregate.ts';
import { detectableEffect, POWER } from './power.ts';
import { METRICS, type MetricKey, type Scores } from './score.ts';
import type { SklearnSettings } from './peers.ts';
import type { StudyColumn } from './table.ts';

export type MethodName = 'VAE, Gaussian prior' | 'VAE, t prior' | 'mean/mode' | 'kNN' | 'MICE' | 'forest';
const ORDER: MethodName[] = ['VAE, Gaussian prior', 'VAE, t prior', 'mean/mode', 'kNN', 'MICE', 'forest'];
const VAES: MethodName[] = ['VAE, Gaussian prior', 'VAE, t prior'];

export interface ResultRow {
  set: string;
  rate: number;
  seed: number;
  method: MethodName;
  seconds: number;
  scores: Scores;
}

export interface StudyContext {
  sets: { name: string; rows: number; columns: StudyColumn[]; realHoles: number }[];
  rates: number[];
  seeds: number;
  /** how long each VAE trained, in words, and on a GPU machine */
  training: string;
  gpuTraining: string;
  software: boolean;
  sklearn: SklearnSettings;
  vae: { describe: string } | { reason: string };
  peers: { describe: string } | { reason: string };
}

/** The VAE must reach this fraction of mean imputation's real RMSE (15% below it). */
export const MEAN_RATIO_CLAIM = 0.85;

const fmtS = (s: Summary) => (Number.isNaN(s.mean) ? '-' : s.n > 1 ? `${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}` : s.mean.toFixed(3));
const fmtP = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);
const pct = (r: number) => `${(r * 100).toFixed(0)}%`;

/** mean ± sd over seeds of one method's metric on one set and rate (n = 0 when it did not run). */
export function summaryOf(rows: ResultRow[], set: string, rate: number, method: MethodName, key: MetricKey): Summary {
  const v = rows.filter((r) => r.set === set && r.rate === rate && r.method === method).map((r) => r.scores[key]);
  return v.length ? summarize(v) : { mean: NaN, sd: NaN, n: 0 };
}

/** 'better' / 'worse' / 'no clear difference' of a against b (lower is better), with p. */
function verdictText(a: Summary, b: Summary): { text: string; v: ReturnType<typeof verdict> } {
  const v = verdict(a, b, false);
  const w = welchTest(a, b);
  if (v === 'none' || !w) return { text: 'no verdict (1 seed)', v };
  return { text: `${v === 'tie' ? 'no clear difference' : v} (${fmtP(w.p)})`, v };
}

export function writeTablesReport(rows: ResultRow[], ctx: StudyContext): string {
  const methods = ORDER.filter((m) => rows.some((r) => r.method === m));
  const vaes = methods.filter((m) => VAES.includes(m));
  const peers = methods.filter((m) => !VAES.includes(m));
  const out: string[] = ['# Imputing real tables: the VAE against mean/mode, kNN, MICE and a forest', ''];
  out.push(
    `- sets: ${ctx.sets.map((s) => `${s.name} (${s.rows} rows; ${typeCounts(s.columns)}${s.realHoles ? `; ${s.realHoles} cells missing in the data, never scored` : ''})`).join('; ')}; provenance and licences in data/tables/README.md`,
    `- protocol: MCAR holes at ${ctx.rates.map(pct).join(' and ')} of the observed cells, ${ctx.seeds} seed${ctx.seeds > 1 ? 's' : ''} (one mask per set, rate and seed, the same for every method); every method sees the table with its holes (real ones included) and nothing else; scored on the hidden cells only: real columns by RMSE in standard deviations of the column's observed values, pooled over hidden real cells; binary and categorical columns by the error rate over their hidden cells`,
    `- VAE: ${'describe' in ctx.vae ? ctx.vae.describe : `not run (${ctx.vae.reason})`}`,
    `- peers: mean/mode (TypeScript); ${'describe' in ctx.peers ? `${ctx.peers.describe}: KNNImputer (k = ${ctx.sklearn.knn_k}), MICE = IterativeImputer(BayesianRidge, ${ctx.sklearn.mice_iter} rounds), forest = IterativeImputer(RandomForestRegressor, ${ctx.sklearn.forest_trees} trees, ${ctx.sklearn.forest_iter} rounds), on real columns standardised by their observed values and binary columns as 0/1 and a categorical column of k levels as k - 1 indicators (full one-hot pins MICE to the mode: the columns sum to 1); a binary cell is imputed as 1 at >= 0.5, a categorical one as the largest of (1 - sum of indicators, indicators); bench/peers/sklearn_impute.py` : `kNN, MICE and the forest skipped: ${ctx.peers.reason}`}`,
    `- sizes: ${ctx.software ? 'scaled down on a software adapter (2 shared CPU cores): ' + `VAE ${ctx.training} (${ctx.gpuTraining} on a GPU), MICE ${ctx.sklearn.mice_iter} rounds and a forest of ${ctx.sklearn.forest_trees} trees x ${ctx.sklearn.forest_iter} rounds (10 and 100 x 10 on a GPU machine; src/studies/tables/study.ts, TABLES_SIZES): neither the VAEs nor the forest and MICE run at their full sizes here` : 'full sizes'}`,
    `- verdicts: Welch's t-test over seeds, two-sided at the ${VERDICT_LEVEL * 100}% level; with ${ctx.seeds} seeds a side it detects, at ${POWER * 100}% power, a difference of about ${detectableEffect(ctx.seeds).toFixed(1)} seed standard deviations (normal-theory approximation), so smaller true differences mostly read "no clear difference": that means not enough seeds to tell, not a tie`,
    '',
  );

  out.push('## Summary: real RMSE (sd units), mean over seeds', '');
  const head = ['set', 'missing', ...methods];
  out.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const s of ctx.sets) for (const rate of ctx.rates) out.push(`| ${s.name} | ${pct(rate)} | ${methods.map((m) => fmtS(summaryOf(rows, s.name, rate, m, 'realRmse'))).join(' | ')} |`);
  out.push('');

  const beaten: string[] = [];
  // per peer: comparisons (set x rate x column type x prior) it wins and loses against a VAE
  const tally = new Map<MethodName, { wins: number; losses: number; total: number; where: Set<string> }>();
  const claims: string[] = [];
  const tVsG: string[] = [];
  for (const s of ctx.sets) {
    const metrics = METRICS.filter((k) => s.columns.some((c) => metricType(k.key) === c.type));
    for (const rate of ctx.rates) {
      out.push(`## ${s.name}, ${pct(rate)} missing`, '');
      const h = ['method', ...metrics.map((k) => k.label), 'seconds per run'];
      out.push(`| ${h.join(' | ')} |`, `|${h.map(() => '---').join('|')}|`);
      for (const m of methods) {
        const secs = summarize(rows.filter((r) => r.set === s.name && r.rate === rate && r.method === m).map((r) => r.seconds));
        out.push(`| ${m} | ${metrics.map((k) => fmtS(summaryOf(rows, s.name, rate, m, k.key))).join(' | ')} | ${secs.mean.toFixed(2)} |`);
      }
      out.push('');
      if (vaes.length) {
        const vh = ['VAE vs peer', ...metrics.map((k) => k.label)];
        out.push(`| ${vh.join(' | ')} |`, `|${vh.map(() => '---').join('|')}|`);
        for (const v of vaes) {
          for (const p of peers) {
            const cells = metrics.map((k) => {
              const r = verdictText(summaryOf(rows, s.name, rate, v, k.key), summaryOf(rows, s.name, rate, p, k.key));
              const t = tally.get(p) ?? { wins: 0, losses: 0, total: 0, where: new Set<string>() };
              tally.set(p, t);
              t.total++;
              if (r.v === 'worse') { t.wins++; t.where.add(`${s.name} ${pct(rate)}`); }
              if (r.v === 'better') t.losses++;
              if (r.v === 'worse') beaten.push(`${p} beats the ${v} on ${s.name} at ${pct(rate)}: ${k.label}, ${r.text.replace(/^worse \((.*)\)$/, '$1')}`);
              return r.text;
            });
            out.push(`| ${v} vs ${p} | ${cells.join(' | ')} |`);
          }
        }
        out.push('');
        const mean = summaryOf(rows, s.name, rate, 'mean/mode', 'realRmse');
        for (const v of vaes) {
          const a = summaryOf(rows, s.name, rate, v, 'realRmse');
          if (Number.isNaN(a.mean) || Number.isNaN(mean.mean)) continue;
          const ratio = a.mean / mean.mean;
          claims.push(`| ${s.name} | ${pct(rate)} | ${v} | ${a.mean.toFixed(3)} | ${mean.mean.toFixed(3)} | ${ratio.toFixed(3)} | ${ratio <= MEAN_RATIO_CLAIM} |`);
        }
        if (vaes.length === 2) {
          const cells = metrics.map((k) => `${k.label}: ${verdictText(summaryOf(rows, s.name, rate, 'VAE, t prior', k.key), summaryOf(rows, s.name, rate, 'VAE, Gaussian prior', k.key)).text}`);
          tVsG.push(`- ${s.name}, ${pct(rate)}: t prior vs Gaussian prior: ${cells.join('; ')}`);
        }
      }
    }
  }

  out.push('## Where the peers beat us', '');
  if (!vaes.length) out.push('No VAE ran, so there is nothing to compare it with.');
  else if (!beaten.length) out.push(`No peer is significantly better than either VAE on any set, rate and column type (${ctx.seeds} seeds; see the power above).`);
  else {
    const plain = [...tally].filter(([p]) => p !== 'mean/mode').map(([p, t]) => `${p} beats a VAE in ${t.wins} of ${t.total} comparisons (set x rate x column type x prior; ${t.where.size ? `on ${[...t.where].join(', ')}` : 'nowhere'}) and loses ${t.losses}`);
    out.push(`In plain words: ${plain.join('; ')}. Every significant loss of a VAE:`, '', ...beaten.map((b) => `- ${b}`));
  }
  out.push('', `## The claim "the VAE's real RMSE is at least ${pct(1 - MEAN_RATIO_CLAIM)} below mean imputation"`, '');
  if (!claims.length) out.push('Not measured: no VAE ran.');
  else out.push('Measured on the means over seeds (ratio = VAE / mean imputation; the claim holds where it is at most 0.85):', '', '| set | missing | VAE | VAE real RMSE | mean imputation | ratio | holds |', '|---|---|---|---|---|---|---|', ...claims);
  out.push('', '## t prior against the Gaussian prior', '');
  if (!tVsG.length) out.push('Not measured: both VAEs are needed.');
  else out.push('The documents claim the t prior helps with heavy tails and outliers; cars (weights, horsepower, displacement) is the set with the clearest outliers here. Verdicts of the t prior against the Gaussian one (better = lower):', '', ...tVsG);
  out.push('');
  return out.join('\n');
}

const metricType = (k: MetricKey) => (k === 'realRmse' ? 'real' : k === 'binaryError' ? 'binary' : 'categorical');

function typeCounts(columns: StudyColumn[]): string {
  return (['real', 'binary', 'categorical'] as const).map((t) => [t, columns.filter((c) => c.type === t).length] as const).filter(([, n]) => n > 0).map(([t, n]) => `${n} ${t}`).join(', ');
}
