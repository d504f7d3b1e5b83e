// Scores over several training seeds: mean ± sd per model and metric, and a verdict for each
// t-prior model against the Gaussian VAE by Welch's two-sample t-test at VERDICT_LEVEL (better /
// worse / no clear difference, with the p-value). A fixed "2 standard errors" rule is not a test at
// 2-3 seeds: with so few degrees of freedom it calls a difference between identical models 12-18%
// of the time. One seed per model gives no variance estimate, so no verdict at all.
import { studentTCdf } from '../ref/stats.ts';
import type { ModelScores } from './imputation.ts';
import { REFERENCE } from './reference_numbers.ts';
import { scoreRows } from './table.ts';

export interface ModelGroup {
  /** the model's name, e.g. "Gaussian VAE" or "t-prior VAE (nu=21)" */
  name: string;
  seeds: number[];
  scores: ModelScores[];
}

export interface Summary {
  mean: number;
  sd: number;
  n: number;
}

/** 'none': fewer than 2 seeds on a side, so there is no variance to test against. */
export type Verdict = 'better' | 'worse' | 'tie' | 'none';

/** Two-sided level of the per-metric Welch test. */
export const VERDICT_LEVEL = 0.05;

export interface WelchTest {
  /** (mean a - mean b) / standard error of the difference */
  t: number;
  /** Welch-Satterthwaite degrees of freedom */
  df: number;
  /** two-sided p-value */
  p: number;
}

/** Runs of the same model (by name) over seeds, in the order they first appear. */
export function groupByModel(runs: { run: { name: string; config: { seed: number } }; scores: ModelScores }[]): ModelGroup[] {
  const groups: ModelGroup[] = [];
  for (const r of runs) {
    let g = groups.find((x) => x.name === r.run.name);
    if (!g) groups.push((g = { name: r.run.name, seeds: [], scores: [] }));
    g.seeds.push(r.run.config.seed);
    g.scores.push(r.scores);
  }
  return groups;
}

/** Mean and sample standard deviation (0 for a single value). */
export function summarize(values: number[]): Summary {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}

/** Welch's unequal-variance t-test of mean a = mean b; undefined with fewer than 2 values a side. */
export function welchTest(a: Summary, b: Summary): WelchTest | undefined {
  if (a.n < 2 || b.n < 2) return undefined;
  const va = a.sd ** 2 / a.n, vb = b.sd ** 2 / b.n;
  const diff = a.mean - b.mean;
  // both samples constant: the difference is exact (p = 0) unless there is none (p = 1)
  if (va + vb === 0) return { t: diff === 0 ? 0 : Math.sign(diff) * Infinity, df: a.n + b.n - 2, p: diff === 0 ? 1 : 0 };
  const t = diff / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  return { t, df, p: 2 * studentTCdf(-Math.abs(t), df) };
}

/** The critical |t| of a two-sided test at `level` with df degrees of freedom (bisection on the CDF). */
export function tCritical(df: number, level: number): number {
  let lo = 0, hi = 1;
  while (2 * studentTCdf(-hi, df) > level) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (2 * studentTCdf(-mid, df) > level) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Is `a` better than `b`? Lower is better unless `higherIsBetter`; 'tie' unless Welch's test
 *  rejects equal means at `level`; 'none' with fewer than 2 seeds on either side. */
export function verdict(a: Summary, b: Summary, higherIsBetter: boolean, level = VERDICT_LEVEL): Verdict {
  const w = welchTest(a, b);
  if (!w) return 'none';
  if (!(w.p < level)) return 'tie';
  return (a.mean - b.mean) * (higherIsBetter ? 1 : -1) > 0 ? 'better' : 'worse';
}

const fmtP = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

const higherIsBetter = (label: string) => label.includes('SSIM');
const fmt = (s: Summary) => (s.n > 1 ? `${s.mean.toFixed(4)} ± ${s.sd.toFixed(4)}` : s.mean.toFixed(4));

export interface AggregateTable {
  markdown: string;
  /** per t-prior model: how many metrics it wins, loses and ties against the Gaussian VAE */
  tally: { name: string; better: number; worse: number; tie: number; none: number }[];
}

/** Markdown: one column per model (mean ± sd over seeds), a verdict column per t model, the reference. */
export function aggregateTable(groups: ModelGroup[], maskNames: string[], o: { reference?: boolean } = {}): AggregateTable {
  // the reference columns are the first document's MNIST numbers (784-400-128, latent 10): other
  // studies (another network, latent size or data set) leave them out
  const withRef = o.reference ?? true;
  const gauss = groups.find((g) => g.name === 'Gaussian VAE');
  const others = groups.filter((g) => g !== gauss);
  const head = ['metric', ...groups.map((g) => `${g.name} (${g.seeds.length} seed${g.seeds.length > 1 ? 's' : ''})`)];
  if (gauss) head.push(...others.map((g) => `${g.name} vs Gaussian`));
  if (withRef) head.push('reference VAE', 'reference t-prior');
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  const tally = others.map((g) => ({ name: g.name, better: 0, worse: 0, tie: 0, none: 0 }));
  for (const [label, get, refG, refT] of scoreRows(maskNames)) {
    const sums = groups.map((g) => summarize(g.scores.map(get)));
    const cells = sums.map(fmt);
    if (gauss) {
      const gs = sums[groups.indexOf(gauss)];
      others.forEach((g, i) => {
        const ts = sums[groups.indexOf(g)];
        const v = verdict(ts, gs, higherIsBetter(label));
        tally[i][v]++;
        const p = welchTest(ts, gs)?.p;
        if (v === 'none' || p === undefined) cells.push('no verdict (1 seed)');
        else cells.push(`${v === 'tie' ? 'no clear difference' : `t-prior ${v}`} (${fmtP(p)})`);
      });
    }
    lines.push(`| ${label} | ${[...cells, ...(withRef ? [refG, refT] : [])].join(' | ')} |`);
  }
  return { markdown: lines.join('\n'), tally: gauss ? tally : [] };
}

/** One sentence per t model: how it fared against the Gaussian VAE, and what the reference claimed. */
export function verdictSentences(t: AggregateTable['tally'], seeds: number, o: { claim?: string } = {}): string[] {
  const claim = o.claim ?? `the reference reported the t prior ahead on every imputation metric (e.g. random-mask prediction MSE ${REFERENCE.random.predictionMse.t} vs ${REFERENCE.random.predictionMse.gaussian})`;
  if (seeds < 2) {
    return t.map((x) => `${x.name} against the Gaussian VAE: no verdict is possible with one seed per model (no variance to test a difference against; run --seeds 2 or more); ${claim}.`);
  }
  const basis = `over ${seeds} seeds, Welch's t-test per metric, two-sided at the ${VERDICT_LEVEL * 100}% level, p-values in the table`;
  const winner = (x: AggregateTable['tally'][number]) =>
    x.better + x.worse === 0 ? 'no metric differs significantly, so neither prior wins'
      : x.better > x.worse ? 'the t prior wins' : x.worse > x.better ? 'the Gaussian prior wins' : 'neither prior wins (as many metrics each way)';
  return t.map((x) => `${x.name} against the Gaussian VAE: better on ${x.better}, worse on ${x.worse}, no clear difference on ${x.tie} metrics (${basis}): ${winner(x)}; ${claim}.`);
}
