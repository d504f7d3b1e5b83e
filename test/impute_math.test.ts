// The importance-weighted imputation from given draws (src/tables/impute_math.ts), CPU only:
// self-normalised weights written out by hand, the conditional mean of real columns, the mode of
// the weighted class probabilities (not the mode of the draws' modes), and sampling-importance-
// resampling frequencies against the weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowWeights, sirImpute, snisImpute, type Draws } from '../src/tables/impute_math.ts';
import { tableLayout } from '../src/parts/likelihood/table_layout.ts';
import { createRng } from '../src/rng.ts';

const layout = tableLayout([{ type: 'real', width: 1 }, { type: 'binary', width: 1 }, { type: 'categorical', width: 3 }]);
const D = layout.width;

/** One row, K = 3 draws: log weights log(1), log(2), log(7) (+ a shift that must not matter). */
function draws(shift: number): Draws {
  const out = new Float32Array(3 * D);
  // draw k: real mean, binary logit, categorical logits
  out.set([1, 10, 5, 0, 0], 0 * D);
  out.set([2, -10, 0, 5, 0], 1 * D);
  out.set([4, 0, 0, 0.1, 0], 2 * D);
  return { n: 1, K: 3, D, logW: Float64Array.from([Math.log(1), Math.log(2), Math.log(7)], (v) => v + shift), out };
}

test('weights normalise to 0.1, 0.2, 0.7 whatever the shift; ESS = 1 / sum w^2', () => {
  for (const shift of [0, -1000, 700]) {
    const { w, ess } = rowWeights(draws(shift), 0);
    [0.1, 0.2, 0.7].forEach((v, k) => assert.ok(Math.abs(w[k] - v) < 1e-12, `shift ${shift}: w[${k}] = ${w[k]}`));
    assert.ok(Math.abs(ess - 1 / (0.01 + 0.04 + 0.49)) < 1e-9);
  }
});

test('single imputation: weighted mean for the real column, mode of the weighted probabilities otherwise', () => {
  const { values } = snisImpute(layout, draws(0));
  assert.ok(Math.abs(values[0] - (0.1 * 1 + 0.2 * 2 + 0.7 * 4)) < 1e-6);
  // binary: p(1) = 0.1 sigmoid(10) + 0.2 sigmoid(-10) + 0.7 * 0.5 = 0.45 -> level 0
  assert.equal(values[1], 0);
  // categorical: level 1 gets 0.2 * ~1 + 0.7 * ~0.35 > level 0's 0.1 + 0.7 * ~0.32
  const e = [1, Math.exp(0.1), 1], s = e[0] + e[1] + e[2];
  const sm = (l: number[]) => { const x = l.map(Math.exp), t = x.reduce((a, b) => a + b, 0); return x.map((v) => v / t); };
  const p = [0, 1, 2].map((j) => 0.1 * sm([5, 0, 0])[j] + 0.2 * sm([0, 5, 0])[j] + 0.7 * (e[j] / s));
  assert.equal(values[2], p.indexOf(Math.max(...p)));
  assert.equal(values[2], 1);
});

test('multiple imputation: resampled draws follow the weights; real cells add the learned noise', () => {
  const M = 4000;
  const logvar = new Float64Array(D).fill(Math.log(1e-6)); // sd 0.001: the real value names its draw
  const tables = sirImpute(layout, draws(0), logvar, M, createRng(5));
  const counts = [0, 0, 0];
  for (const t of tables) counts[[1, 2, 4].findIndex((m) => Math.abs(t[0] - m) < 0.01)]++;
  [0.1, 0.2, 0.7].forEach((w, k) => {
    const se = Math.sqrt((w * (1 - w)) / M);
    assert.ok(Math.abs(counts[k] / M - w) < 4 * se, `draw ${k}: ${counts[k] / M} vs weight ${w}`);
  });
  assert.ok(tables.every((t) => t[1] === 0 || t[1] === 1) && tables.every((t) => [0, 1, 2].includes(t[2])));
});
