// Scores over seeds: mean ± sd, the Welch-test verdict (its p-values against hand computation and
// its critical values against the textbook table; its false-call rate on identical models at or
// below the stated level, where the old 2-standard-error rule's is not), and the Markdown table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarize, tCritical, verdict, VERDICT_LEVEL, welchTest, type ModelGroup, type Summary } from '../src/eval/aggregate.ts';
import { aggregateTable, verdictSentences } from '../src/eval/verdict_table.ts';
import { createRng } from '../src/rng.ts';
import type { MaskScores, ModelScores } from '../src/eval/imputation.ts';

test('summarize: mean and sample sd; one value has sd 0', () => {
  const s = summarize([1, 2, 3, 4]);
  assert.equal(s.mean, 2.5);
  assert.ok(Math.abs(s.sd - Math.sqrt(5 / 3)) < 1e-12);
  assert.deepEqual(summarize([7]), { mean: 7, sd: 0, n: 1 });
});

test('verdict: Welch\'s test at the stated level, in the metric\'s direction; no verdict with one seed', () => {
  const a = { mean: 0.020, sd: 0.001, n: 3 }, b = { mean: 0.025, sd: 0.001, n: 3 };
  assert.equal(verdict(a, b, false), 'better'); // lower MSE
  assert.equal(verdict(a, b, true), 'worse'); // lower SSIM
  // se = sqrt(2 * 0.004^2 / 3) = 0.003266, t = 1.53 on 4 df: p = 0.20
  assert.equal(verdict({ ...a, sd: 0.004 }, { ...b, sd: 0.004 }, false), 'tie');
  assert.equal(verdict(a, a, false), 'tie');
  assert.equal(verdict({ ...a, n: 1, sd: 0 }, b, false), 'none');
  assert.equal(verdict(a, { ...b, n: 1, sd: 0 }, false), 'none');
});

test('welchTest: t, Welch-Satterthwaite df and p by hand; critical values match the t table', () => {
  // a: n 3, var 4e-6; b: n 5, var 1e-6. va = 1.333e-6, vb = 2e-7; se = 1.2383e-3
  const w = welchTest({ mean: 0.03, sd: 0.002, n: 3 }, { mean: 0.025, sd: 0.001, n: 5 })!;
  assert.ok(Math.abs(w.t - 0.005 / Math.sqrt(4e-6 / 3 + 1e-6 / 5)) < 1e-9);
  const va = 4e-6 / 3, vb = 1e-6 / 5;
  assert.ok(Math.abs(w.df - (va + vb) ** 2 / (va ** 2 / 2 + vb ** 2 / 4)) < 1e-9); // 2.63
  // two-sided p = 2 P(T_df > t): for t = 4.0377 on 2.63 df, between the 2-df (0.0562) and 3-df (0.0274) values
  assert.ok(w.p > 0.0274 && w.p < 0.0562, `p = ${w.p}`);
  // textbook two-sided 5% critical values
  for (const [df, crit] of [[1, 12.706], [2, 4.303], [4, 2.776], [10, 2.228], [1000, 1.962]]) {
    assert.ok(Math.abs(tCritical(df, 0.05) - crit) < 1e-3, `df ${df}: ${tCritical(df, 0.05)} vs ${crit}`);
  }
  // p at the critical value is the level: b nearly constant leaves df = n_a - 1 = 1, se = sd_a / sqrt(2)
  assert.ok(Math.abs(welchTest({ mean: 12.706 * Math.SQRT1_2, sd: 1, n: 2 }, { mean: 0, sd: 1e-9, n: 2 })!.p - 0.05) < 1e-4);
  assert.equal(welchTest({ mean: 1, sd: 0, n: 2 }, { mean: 1, sd: 0, n: 2 })!.p, 1);
  assert.equal(welchTest({ mean: 1, sd: 0, n: 2 }, { mean: 2, sd: 0, n: 2 })!.p, 0);
  assert.equal(welchTest({ mean: 1, sd: 0, n: 1 }, { mean: 2, sd: 0.1, n: 3 }), undefined);
});

test('false calls on identical models: Welch at or below the level; the 2-standard-error rule far above it', () => {
  const trials = 20000, r = createRng(2026);
  const sample = (n: number): Summary => summarize(Array.from({ length: n }, () => 0.03 + 0.002 * r.normal()));
  // the rule this replaced: a difference beyond 2 standard errors of the difference of means
  const twoSe = (a: Summary, b: Summary) => Math.abs(a.mean - b.mean) > 2 * Math.sqrt(a.sd ** 2 / a.n + b.sd ** 2 / b.n);
  const slack = 3 * Math.sqrt((VERDICT_LEVEL * (1 - VERDICT_LEVEL)) / trials); // 3 binomial SEs
  for (const n of [2, 3, 5]) {
    let welch = 0, old = 0;
    for (let i = 0; i < trials; i++) {
      const a = sample(n), b = sample(n);
      if (verdict(a, b, false) !== 'tie') welch++;
      if (twoSe(a, b)) old++;
    }
    console.log(`n=${n} seeds a side: false calls Welch ${(welch / trials).toFixed(4)}, 2-SE rule ${(old / trials).toFixed(4)}`);
    assert.ok(welch / trials <= VERDICT_LEVEL + slack, `n=${n}: Welch false-call rate ${welch / trials}`);
    if (n <= 3) assert.ok(old / trials > 2 * VERDICT_LEVEL, `n=${n}: the 2-SE rule's rate ${old / trials} should be far above the level`);
  }
});

function scores(v: number): ModelScores {
  const m = (mask: string): MaskScores => ({
    mask, missingFraction: 0.3, predictionMse: v, imputationMse: v / 2, missingMse: v, predictionSsim: 1 - v,
    imputationSsim: 1 - v / 2, predictionSsimWindowed: 1 - v, imputationSsimWindowed: 1 - v / 2, gibbsImputationMse: v / 2, gibbsMissingMse: v, mwgImputationMse: v / 2, mwgMissingMse: v,
  });
  return { reconstructionMse: v, masks: [m('random 30%'), m('50 squares 1-4')] };
}

test('aggregateTable: mean ± sd per model, a verdict column per t model (raw and Holm p), the reference last when asked', () => {
  const groups: ModelGroup[] = [
    { name: 'Gaussian VAE', seeds: [1, 2], scores: [scores(0.030), scores(0.032)] },
    { name: 't-prior VAE (nu=21)', seeds: [1, 2], scores: [scores(0.020), scores(0.022)] },
  ];
  const t = aggregateTable(groups, ['random 30%', '50 squares 1-4'], { reference: true });
  const line = t.markdown.split('\n').find((l) => l.startsWith('| random 30%: prediction MSE |'));
  // t = 0.01 / 0.0014142 = 7.071 on 2 df: p = 2 (1 - F_2(7.071)) = 1 - 7.071 / sqrt(2 + 7.071^2) = 0.019418;
  // these scores rescale nothing (imputation MSE is v/2, not 0.3 v), so Holm spans all 23 rows, every
  // one at p = 0.019418: each adjusted to 23 x 0.019418 = 0.4466, and no verdict survives
  assert.equal(line, '| random 30%: prediction MSE | 0.0310 ± 0.0014 | 0.0210 ± 0.0014 | no clear difference (p = 0.019; Holm = 0.447) | 0.0280 | 0.0247 |');
  const rows = t.markdown.split('\n').length - 2;
  assert.equal(rows, 23);
  assert.deepEqual(t.tally, [{ name: 't-prior VAE (nu=21)', better: 0, worse: 0, tie: rows, none: 0, seeds: [2, 2] }]);
  assert.match(verdictSentences(t.tally)[0], /\(2 seeds a side; Welch's t-test[^)]*\): better on 0, worse on 0, no clear difference on 23; .*: not enough seeds to tell/);
  assert.ok(!aggregateTable(groups, ['random 30%', '50 squares 1-4']).markdown.includes('reference VAE'), 'no reference columns unless asked');
});

test('aggregateTable with one seed per model: no verdict, said plainly', () => {
  const groups: ModelGroup[] = [
    { name: 'Gaussian VAE', seeds: [1], scores: [scores(0.030)] },
    { name: 't-prior VAE (nu=21)', seeds: [1], scores: [scores(0.020)] },
  ];
  const t = aggregateTable(groups, ['random 30%', '50 squares 1-4']);
  assert.match(t.markdown, /\| 0\.0300 \| 0\.0200 \| no verdict \(1 seed\) \|/);
  assert.equal(t.tally[0].better + t.tally[0].worse + t.tally[0].tie, 0);
  assert.match(verdictSentences(t.tally)[0], /no verdict is possible with one seed per model/);
});

test('welchTest matches scipy.stats.ttest_ind_from_stats(equal_var=False) (values typed from scipy 1.10.1)', () => {
  // (mean, sd, n) a side, then scipy's t statistic and two-sided p-value
  const cases: [Summary, Summary, number, number][] = [
    [{ mean: 0.03, sd: 0.002, n: 3 }, { mean: 0.025, sd: 0.001, n: 5 }, 4.037864265436239, 0.03520971213744389],
    [{ mean: 1, sd: 0.5, n: 2 }, { mean: 0.2, sd: 0.3, n: 2 }, 1.9402850002906642, 0.21923223756517382],
    [{ mean: 10, sd: 3, n: 4 }, { mean: 12.5, sd: 1, n: 7 }, -1.6161498378886354, 0.1940702521417258],
    [{ mean: 0.5, sd: 0.1, n: 10 }, { mean: 0.45, sd: 0.2, n: 3 }, 0.41763453479227824, 0.7119105279737248],
  ];
  for (const [a, b, t, p] of cases) {
    const w = welchTest(a, b)!;
    assert.ok(Math.abs(w.t - t) < 1e-9 * Math.abs(t), `t ${w.t} vs scipy ${t}`);
    assert.ok(Math.abs(w.p - p) < 1e-8, `p ${w.p} vs scipy ${p}`);
  }
});
