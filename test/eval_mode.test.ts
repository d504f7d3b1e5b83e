// Scoring a trained model runs the evaluation-mode forward (issue 22, rows 6 and 7):
// - bounds() on a CNN: batch norm from the running statistics, so the bound of each point equals
//   the float64 CNN's evaluation-mode loss for the same noise (read back from the evaluator), not
//   its training-mode one (batch statistics, padding row included), and the parameter block,
//   running statistics included, comes back bit for bit. Tolerance: 2e-3 max|ref| + 1e-3 |ref|
//   (f32 against float64, as cnn_vae.test.ts).
// - a batch norm whose per-channel count N*H*W would be 1 is refused before any work: by the plan
//   check (one line naming the layer and the count) and by `npm run train` before any folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { modelLayout, modelPlan } from '../src/parts/model.ts';
import { checkBatchNormCounts, cnnPlan, defaultCnn, type CnnNet } from '../src/parts/network/cnn.ts';
import { cnnBlock, initCnnTensors } from '../src/parts/network/cnn_tensors.ts';
import { cnnForwardBackward } from '../src/ref/cnn_vae.ts';
import { cnnRefParts } from '../src/ref/parts.ts';
import { createRng } from '../src/rng.ts';
import { uniformArray } from './util/compare.ts';
import { runCli, tempDir } from './util/cli.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

const netOf = (size: number, channels: number[]): CnnNet => ({ ...defaultCnn({ height: size, width: size, channels: 1 }), channels, slope: 0.2 });

test('bounds() on a CNN runs the evaluation-mode forward: float64 evaluation-mode bound, parameters bit-identical', async () => {
  // 3 points in a batch of 4: the last row is padding, which training mode would fold into the statistics
  const n = 3, batch = 4, L = 2;
  const net = netOf(8, [4, 8]);
  const config: VaeConfig = { shape: { encoder: [64], latent: L, decoder: [64] }, prior: { kind: 'gaussian' }, net, batch, optimizer: { kind: 'adam', lr: 1e-3 }, seed: 5 };
  const plan = modelPlan(config)!;
  const r = createRng(21);
  const t = initCnnTensors(plan, () => r.normal());
  // running statistics well away from any batch's, so the two modes differ plainly
  for (const [name, v] of Object.entries(t)) {
    if (name.endsWith('running_mean')) v.forEach((_, i) => (v[i] = 0.3 * (r.next() - 0.5)));
    if (name.endsWith('running_var')) v.forEach((_, i) => (v[i] = 0.5 + r.next()));
  }
  const block = cnnBlock(plan, modelLayout(config), t);
  const x = uniformArray(n * 64, 22, 0, 1);
  const gpu = await harness().call<{ nelbo: Float64Array; iw: Float64Array; params: Float32Array; eps: Float32Array }>('cnnBounds', { config, block, x, n, K: 1, batch });
  assert.deepEqual(gpu.params, block, 'scoring must leave every weight and running statistic as it was');
  // bounds() scores a Gaussian posterior with the one-sample KL (log q - log p of the draw)
  const refParts = cnnRefParts({ ...config, kl: 'mc' });
  const eps = gpu.eps.subarray(0, n * L);
  const evalRef = cnnForwardBackward(plan, t, x, eps, n, L, refParts, 'eval');
  const trainRef = cnnForwardBackward(plan, t, x, eps, n, L, refParts, 'train');
  const want = Array.from({ length: n }, (_, m) => evalRef.reRows[m] + evalRef.klRows[m]);
  const scale = Math.max(...want.map(Math.abs));
  for (let m = 0; m < n; m++) {
    const tol = 2e-3 * scale + 1e-3 * Math.abs(want[m]);
    console.log(`point ${m}: GPU bound ${gpu.nelbo[m].toFixed(4)}, float64 evaluation mode ${want[m].toFixed(4)}, training mode ${(trainRef.reRows[m] + trainRef.klRows[m]).toFixed(4)}`);
    assert.ok(Math.abs(gpu.nelbo[m] - want[m]) <= tol, `point ${m}: ${gpu.nelbo[m]} vs ${want[m]}`);
    assert.equal(gpu.iw[m], gpu.nelbo[m], 'one draw: the bounds coincide');
  }
  // the check can tell the modes apart: some point's training-mode bound is far outside the tolerance
  assert.ok(want.some((w, m) => Math.abs(trainRef.reRows[m] + trainRef.klRows[m] - w) > 10 * (2e-3 * scale + 1e-3 * Math.abs(w))), 'training and evaluation modes should differ here');
});

test('batch norm with one value per channel is refused before any work, naming the layer and the count', () => {
  // 28 -> 14 -> 7 -> 4 -> 2 -> 1: the fifth conv's batch norm sees batch x 1x1 values per channel
  const plan = cnnPlan(netOf(28, [4, 4, 4, 4, 4]), 784, 3, 6);
  assert.throws(() => checkBatchNormCounts(plan, 1), /^TvaeError: batch norm encoder\.bn4 would normalise 1 value per channel \(batch 1 x 1x1\); it needs at least 2/);
  assert.doesNotThrow(() => checkBatchNormCounts(plan, 2));
  const out = join(tempDir('bn-count'), 'run');
  const r = runCli('src/cli/train.ts', ['--net', 'cnn', '--channels', '4,4,4,4,4', '--batch', '1', '--epochs', '1', '--limit', '16', '--out', out]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /batch norm encoder\.bn4 would normalise 1 value per channel \(batch 1 x 1x1\)/);
  assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  assert.ok(!existsSync(out), 'no run folder');
});
