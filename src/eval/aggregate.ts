// Scores over several training seeds: mean ± sd per model and metric, and a verdict for each
// t-prior model against the Gaussian VAE by Welch's two-sample t-test at VERDICT_LEVEL (better /
// worse / no clear difference), Holm-corrected across a table's independent metrics. A fixed
// "2 standard errors" rule is not a test at 2-3 seeds: with so few degrees of freedom it calls a
// difference between identical models 12-18% of the time. One seed per model gives no variance
// estimate, so no verdict at all. The table and its sentences live in verdict_table.ts.
// The special functions are src/stats/special.ts's (production code, checked against published values).
import { logGamma, normalCdf, studentTCdf } from '../stats/special.ts';
import type { ModelScores } from './imputation.ts';

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

/** Holm's step-down adjustment of m p-values (same order as given): the i-th smallest is scaled
 *  by m - i + 1 and the running maximum keeps the order; rejecting adjusted p < level controls the
 *  chance of any false call across all m at `level`. */
export function holmAdjust(p: number[]): number[] {
  const m = p.length;
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((idx, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[idx]));
    out[idx] = running;
  });
  return out;
}

/** Power of the two-sided t-test with df degrees of freedom at `level` against noncentrality
 *  lambda: P(|T| > c) for T = (Z + lambda) / S, S = sqrt(V / df), V ~ chi-square(df). Integrated
 *  over S (its density s^(df-1) exp(-df s^2 / 2) is smooth for df >= 1) by composite Simpson. */
export function tTestPower(lambda: number, df: number, level = VERDICT_LEVEL): number {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`tTestPower: df must be finite and > 0, got ${df}`);
  const c = tCritical(df, level);
  const logNorm = Math.log(2) + (df / 2) * Math.log(df / 2) - logGamma(df / 2);
  const density = (s: number) => (s <= 0 ? (df === 1 ? Math.exp(logNorm) : 0) : Math.exp(logNorm + (df - 1) * Math.log(s) - (df * s * s) / 2));
  const reject = (s: number) => normalCdf(lambda - c * s) + normalCdf(-lambda - c * s);
  // S has mean ~1 and sd ~1/sqrt(2 df); 40 sds past 1 leaves nothing the result can see
  const top = 1 + 40 / Math.sqrt(2 * df), steps = 4000, h = top / steps;
  let sum = density(0) * reject(0) + density(top) * reject(top);
  for (let i = 1; i < steps; i++) sum += (i % 2 ? 4 : 2) * density(i * h) * reject(i * h);
  return Math.min(1, (sum * h) / 3);
}

/** Target power of the "detectable effect" every verdict sentence states. */
export const DETECT_POWER = 0.8;

/** The smallest true difference of means, in seed standard deviations, that a two-sided t-test at
 *  `level` with na and nb seeds finds with probability `power`. It is computed for the equal-variance
 *  test (df = na + nb - 2, noncentrality delta / sqrt(1/na + 1/nb)); Welch's test, whose df is at
 *  most that, can only need a larger difference, so the figure is a lower bound for the verdicts. */
export function detectableEffect(na: number, nb: number, level = VERDICT_LEVEL, power = DETECT_POWER): number {
  if (!(na >= 2 && nb >= 2)) throw new RangeError(`detectableEffect: need 2 or more seeds a side, got ${na} and ${nb}`);
  const df = na + nb - 2;
  let lo = 0, hi = 1;
  while (tTestPower(hi, df, level) < power) hi *= 2;
  while (hi - lo > 1e-6 * hi) {
    const mid = (lo + hi) / 2;
    if (tTestPower(mid, df, level) < power) lo = mid;
    else hi = mid;
  }
  return ((lo + hi) / 2) * Math.sqrt(1 / na + 1 / nb);
}
