// The evaluator packs its weights into textures once per setParams (src/eval/packed_weights.ts)
// instead of before every GEMM. With the texture-reading gemm_xwt variant forced, its predictions
// and MwG imputations must match the storage-reading `base` variant's (which packs nothing) to the
// GEMM tests' tolerance, before and after new weights are set: a pack left out, or not run again
// after setParams, reads zeros or the old weights and fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { initParams, type VaeShape } from '../src/ref/vae.ts';
import { createRng } from '../src/rng.ts';
import { uniformArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const shape: VaeShape = { encoder: [30, 12], latent: 3, decoder: [12, 30] };
const D = 30, n = 7, batch = 4; // two batches, the second one short
const config: VaeConfig = { shape, prior: { kind: 't', nu: 5 }, batch, optimizer: { kind: 'sgd', lr: 0.01 }, seed: 9 };
const weights = (seed: number) => {
  const r = createRng(seed);
  return initParams(shape, () => r.normal(), 0.6).map((p) => ({ w: Float32Array.from(p.w), b: Float32Array.from(p.b) }));
};
const x = Float32Array.from(uniformArray(n * D, 3, 0, 1));
const mask = Uint8Array.from(uniformArray(n * D, 4, 0, 1), (v) => (v < 0.4 ? 1 : 0));
type Swap = { first: Float32Array; firstMwg: Float32Array; second: Float32Array; secondMwg: Float32Array; kernels: string };
const run = (variant: string) => harness().call<Swap>('evalWeightsSwap', { config, first: weights(1), second: weights(2), x, mask, n, draws: 3, iterations: 6, batch, variant });

function close(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-4 + 1e-4 * Math.abs(want[i]), `${what}[${i}]: ${got[i]} vs ${want[i]}`);
}

test('evaluator with weights packed once: texture variant = base, before and after setParams', async () => {
  const base = await run('base');
  const tex = await run('subgroup.r32');
  assert.match(tex.kernels, /gemm_xwt \d+ subgroup\.r32/, `the texture variant was built: ${tex.kernels}`);
  assert.doesNotMatch(base.kernels, /subgroup/, base.kernels);
  close(tex.first, base.first, 'prediction, first weights');
  close(tex.second, base.second, 'prediction, second weights');
  close(tex.firstMwg, base.firstMwg, 'MwG, first weights');
  close(tex.secondMwg, base.secondMwg, 'MwG, second weights');
  // the second weights give other outputs: a stale pack could not pass the line above
  assert.ok(base.second.some((v, i) => Math.abs(v - base.first[i]) > 1e-2), 'new weights change the predictions');
});
