// Scores over several training seeds: mean ± sd per model and metric, and a verdict for each
// t-prior model against the Gaussian VAE (better / worse / no clear difference at 2 standard
// errors of the difference of means). One seed proves nothing about which prior wins.
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

export type Verdict = 'better' | 'worse' | 'tie';

/** Mean and sample standard deviation (0 for a single value). */
export function summarize(values: number[]): Summary {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}

/** Is `a` better than `b`? Lower is better unless `higherIsBetter`; a tie within 2 standard errors
 *  (with one seed each there is no error estimate, so any difference counts: say so in reports). */
export function verdict(a: Summary, b: Summary, higherIsBetter: boolean): Verdict {
  const diff = (a.mean - b.mean) * (higherIsBetter ? 1 : -1);
  const se = Math.sqrt(a.sd ** 2 / a.n + b.sd ** 2 / b.n);
  if (Math.abs(diff) <= 2 * se || diff === 0) return 'tie';
  return diff > 0 ? 'better' : 'worse';
}

const higherIsBetter = (label: string) => label.includes('SSIM');
const fmt = (s: Summary) => (s.n > 1 ? `${s.mean.toFixed(4)} ± ${s.sd.toFixed(4)}` : s.mean.toFixed(4));

export interface AggregateTable {
  markdown: string;
  /** per t-prior model: how many metrics it wins, loses and ties against the Gaussian VAE */
  tally: { name: string; better: number; worse: number; tie: number }[];
}

/** Markdown: one column per model (mean ± sd over seeds), a verdict column per t model, the reference. */
export function aggregateTable(groups: ModelGroup[], maskNames: string[]): AggregateTable {
  const gauss = groups.find((g) => g.name === 'Gaussian VAE');
  const others = groups.filter((g) => g !== gauss);
  const head = ['metric', ...groups.map((g) => `${g.name} (${g.seeds.length} seed${g.seeds.length > 1 ? 's' : ''})`)];
  if (gauss) head.push(...others.map((g) => `${g.name} vs Gaussian`));
  head.push('reference VAE', 'reference t-prior');
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  const tally = others.map((g) => ({ name: g.name, better: 0, worse: 0, tie: 0 }));
  for (const [label, get, refG, refT] of scoreRows(maskNames)) {
    const sums = groups.map((g) => summarize(g.scores.map(get)));
    const cells = sums.map(fmt);
    if (gauss) {
      const gs = sums[groups.indexOf(gauss)];
      others.forEach((g, i) => {
        const v = verdict(sums[groups.indexOf(g)], gs, higherIsBetter(label));
        tally[i][v]++;
        cells.push(v === 'tie' ? 'no clear difference' : `t-prior ${v}`);
      });
    }
    lines.push(`| ${label} | ${cells.join(' | ')} | ${refG} | ${refT} |`);
  }
  return { markdown: lines.join('\n'), tally: gauss ? tally : [] };
}

/** One sentence per t model: how it fared against the Gaussian VAE, and what the reference claimed. */
export function verdictSentences(t: AggregateTable['tally'], seeds: number): string[] {
  const basis = seeds > 1 ? `over ${seeds} seeds, a difference counts when it exceeds 2 standard errors` : 'one seed only, so every difference counts and none is established';
  const claim = `the reference reported the t prior ahead on every imputation metric (e.g. random-mask prediction MSE ${REFERENCE.random.predictionMse.t} vs ${REFERENCE.random.predictionMse.gaussian})`;
  return t.map((x) => `${x.name} against the Gaussian VAE: better on ${x.better}, worse on ${x.worse}, no clear difference on ${x.tie} metrics (${basis}); ${claim}.`);
}
