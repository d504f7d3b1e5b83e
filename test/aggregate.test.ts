// Scores over seeds: mean ± sd, the 2-standard-error verdict, and the Markdown table's columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateTable, summarize, verdict, verdictSentences, type ModelGroup } from '../src/eval/aggregate.ts';
import type { MaskScores, ModelScores } from '../src/eval/imputation.ts';

test('summarize: mean and sample sd; one value has sd 0', () => {
  const s = summarize([1, 2, 3, 4]);
  assert.equal(s.mean, 2.5);
  assert.ok(Math.abs(s.sd - Math.sqrt(5 / 3)) < 1e-12);
  assert.deepEqual(summarize([7]), { mean: 7, sd: 0, n: 1 });
});

test('verdict: a difference counts only beyond 2 standard errors, in the metric\'s direction', () => {
  const a = { mean: 0.020, sd: 0.001, n: 3 }, b = { mean: 0.025, sd: 0.001, n: 3 };
  assert.equal(verdict(a, b, false), 'better'); // lower MSE
  assert.equal(verdict(a, b, true), 'worse'); // lower SSIM
  // se = sqrt(2 * 0.004^2 / 3) = 0.00327: a 0.005 gap is inside 2 se
  assert.equal(verdict({ ...a, sd: 0.004 }, { ...b, sd: 0.004 }, false), 'tie');
  assert.equal(verdict(a, a, false), 'tie');
});

function scores(v: number): ModelScores {
  const m = (mask: string): MaskScores => ({
    mask, missingFraction: 0.3, predictionMse: v, imputationMse: v / 2, missingMse: v, predictionSsim: 1 - v,
    imputationSsim: 1 - v / 2, predictionSsimWindowed: 1 - v, imputationSsimWindowed: 1 - v / 2, gibbsImputationMse: v / 2, gibbsMissingMse: v, mwgImputationMse: v / 2, mwgMissingMse: v,
  });
  return { reconstructionMse: v, masks: [m('random 30%'), m('50 squares 1-4')] };
}

test('aggregateTable: mean ± sd per model, a verdict column per t model, the reference last', () => {
  const groups: ModelGroup[] = [
    { name: 'Gaussian VAE', seeds: [1, 2], scores: [scores(0.030), scores(0.032)] },
    { name: 't-prior VAE (nu=21)', seeds: [1, 2], scores: [scores(0.020), scores(0.022)] },
  ];
  const t = aggregateTable(groups, ['random 30%', '50 squares 1-4']);
  const line = t.markdown.split('\n').find((l) => l.startsWith('| random 30%: prediction MSE |'));
  assert.equal(line, '| random 30%: prediction MSE | 0.0310 ± 0.0014 | 0.0210 ± 0.0014 | t-prior better | 0.0280 | 0.0247 |');
  const ssim = t.markdown.split('\n').find((l) => l.startsWith('| random 30%: prediction SSIM (global) |'));
  assert.match(ssim ?? '', /\| t-prior better \|/); // higher SSIM is better
  const rows = t.markdown.split('\n').length - 2;
  assert.deepEqual(t.tally, [{ name: 't-prior VAE (nu=21)', better: rows, worse: 0, tie: 0 }]);
  assert.match(verdictSentences(t.tally, 2)[0], /better on \d+, worse on 0, no clear difference on 0 metrics \(over 2 seeds/);
});
