// How the GPU bundle sizes the reference study to its time budget (bundle/study_plan.ts): the
// reference settings in full while they fit, more seeds and nu values when there is room, then
// fewer epochs, then fewer training images, each cut named; never over the budget when it can
// be helped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describePlan, planStudy } from '../bundle/study_plan.ts';

// an H100-class speed guess: a full reference epoch (60,000 images) in 0.3 s
const fast = { epochSPerImage: 0.3 / 60_000, runOverheadS: 2, evalSPerImage: 0.002 };

test('a fast adapter and a roomy budget: 3 seeds x (Gaussian + 3 nu) at the reference settings', () => {
  const p = planStudy(3600, fast);
  assert.deepEqual([p.seeds, p.nus, p.epochs, p.limit, p.testLimit, p.runs], [3, [5, 21, 100], 300, 55_000, 10_000, 12]);
  assert.ok(p.predictedS <= 3600);
  assert.deepEqual(p.cuts, []);
  assert.match(describePlan(p), /3 seeds x \(Gaussian \+ t\(nu=5\) \+ t\(nu=21\) \+ t\(nu=100\)\) = 12 models.*300 epochs on 55000.*reference settings in full/);
});

test('less room: fewer models first, the settings kept', () => {
  const p = planStudy(700, fast);
  assert.deepEqual([p.seeds, p.nus, p.epochs, p.limit], [3, [21], 300, 55_000]);
  const one = planStudy(250, fast);
  assert.deepEqual([one.seeds, one.nus, one.epochs], [1, [21], 300]);
  assert.ok(one.predictedS <= 250);
});

test('too slow for 300 epochs: epochs cut, then training images, each named; test images shrink to a quarter of the budget', () => {
  const slow = { epochSPerImage: 30 / 60_000, runOverheadS: 3, evalSPerImage: 0.01 };
  const p = planStudy(480, slow);
  assert.deepEqual([p.seeds, p.limit], [1, 55_000]);
  assert.ok(p.epochs >= 1 && p.epochs < 300);
  assert.ok(p.predictedS <= 480, `${p.predictedS}`);
  assert.ok(p.cuts.some((c) => /of 300 epochs/.test(c)));
  const software = { epochSPerImage: 0.001, runOverheadS: 3, evalSPerImage: 0.2 };
  const s = planStudy(40, software);
  assert.deepEqual([s.epochs, s.seeds], [1, 1]);
  assert.ok(s.limit >= 500 && s.limit < 55_000 && s.limit % 500 === 0);
  assert.ok(s.testLimit >= 10 && s.testLimit < 10_000);
  assert.ok(s.cuts.some((c) => /training images/.test(c)) && s.cuts.some((c) => /test images/.test(c)));
});

test('bad input is one clear error', () => {
  assert.throws(() => planStudy(0, fast), /positive budget/);
  assert.throws(() => planStudy(100, { ...fast, evalSPerImage: NaN }), /finite speeds/);
});
