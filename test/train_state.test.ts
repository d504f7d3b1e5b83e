// shaders/loss_accumulate.wgsl: per-row losses summed over several minibatches, with non-finite
// rows counted (the trainer stops on them); and the step counter that step_advance moves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, uniformArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

test('loss_accumulate sums RE and KL rows over minibatches and counts rows', async () => {
  const batches = [0, 1, 2].map((i) => ({ re: uniformArray(500, 10 + i, 0, 200), kl: uniformArray(500, 20 + i, 0, 30) }));
  const { sums } = await harness().call<{ sums: Float32Array }>('lossAccumulate', { batches });
  const total = (k: 're' | 'kl') => batches.reduce((s, b) => s + b[k].reduce((a, v) => a + v, 0), 0);
  assertClose([sums[0], sums[1]], [total('re'), total('kl')], { atol: 0, rtol: 1e-5 }, 'sums');
  assert.equal(sums[2], 1500);
  assert.equal(sums[3], 0);
});

test('loss_accumulate counts NaN and Inf rows', async () => {
  const re = uniformArray(7, 1, 0, 1), kl = uniformArray(7, 2, 0, 1);
  re[2] = NaN;
  kl[5] = Infinity;
  const { sums } = await harness().call<{ sums: Float32Array }>('lossAccumulate', { batches: [{ re, kl }] });
  assert.equal(sums[3], 2);
  assert.equal(sums[2], 7);
});
