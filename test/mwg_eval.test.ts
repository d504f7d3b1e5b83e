// The evaluator's Metropolis-within-Gibbs imputer end to end on small random models, every latent
// family: observed pixels come back bit-identical, missing ones are Bernoulli means in [0, 1],
// the same seed gives the same images whatever ran before, the acceptance rate is strictly
// inside (0, 1) when the proposal q differs from the target, and exactly 1 on a problem where
// they coincide (all pixels missing, encoder output mu = 0, logvar = 0: q(z|x) = prior = target).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { initParams, type Prior, type VaeShape } from '../src/ref/vae.ts';
import { createRng } from '../src/rng.ts';
import { uniformArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const shape: VaeShape = { encoder: [30, 12], latent: 3, decoder: [12, 30] };
const D = 30, n = 7, batch = 4; // two batches, the second one short
const MODELS: { name: string; prior: Prior; multivariate?: boolean }[] = [
  { name: 'Gaussian', prior: { kind: 'gaussian' } },
  { name: 'iid t(nu=3)', prior: { kind: 't', nu: 3 } },
  { name: 'multivariate t(nu=3)', prior: { kind: 't', nu: 3 }, multivariate: true },
];

type Result = { images: Float32Array; acceptance: number };

function model(prior: Prior, multivariate: boolean | undefined, encoderOutputZero: boolean) {
  const r = createRng(5);
  const params = initParams(shape, () => r.normal(), 0.6);
  if (encoderOutputZero) params[shape.encoder.length - 1] = { ...params[shape.encoder.length - 1], w: new Float64Array(12 * 6) };
  const config: VaeConfig = { shape, prior, multivariate, batch, optimizer: { kind: 'sgd', lr: 0.01 }, seed: 42 };
  return { config, params: params.map((p) => ({ w: Float32Array.from(p.w), b: Float32Array.from(p.b) })) };
}

const x = Float32Array.from(uniformArray(n * D, 3, 0, 1), (v, i) => (i % 4 === 0 ? Math.round(v) : v));
const halfMask = Uint8Array.from(uniformArray(n * D, 4, 0, 1), (v) => (v < 0.5 ? 1 : 0));

const run = (m: ReturnType<typeof model>, mask: Uint8Array, iterations: number, warmup = false) =>
  harness().call<Result>('mwgEvaluate', { ...m, x, mask, n, iterations, batch, warmup });

for (const { name, prior, multivariate } of MODELS) {
  test(`MwG ${name}: observed pixels kept bit for bit, missing in [0,1], reproducible, 0 < acceptance < 1`, async () => {
    const m = model(prior, multivariate, false);
    const a = await run(m, halfMask, 40);
    const b = await run(m, halfMask, 40, true);
    assert.deepEqual(Array.from(new Uint32Array(b.images.buffer)), Array.from(new Uint32Array(a.images.buffer)), 'same seed, other history');
    assert.equal(b.acceptance, a.acceptance);
    const bits = new Uint32Array(a.images.buffer), xBits = new Uint32Array(x.buffer);
    let moved = 0;
    for (let i = 0; i < x.length; i++) {
      if (halfMask[i] === 0) assert.equal(bits[i], xBits[i], `observed pixel ${i}`);
      else {
        assert.ok(a.images[i] >= 0 && a.images[i] <= 1, `missing pixel ${i} is ${a.images[i]}`);
        if (a.images[i] !== x[i]) moved++;
      }
    }
    assert.ok(moved > 0);
    assert.ok(a.acceptance > 0.02 && a.acceptance < 0.98, `acceptance ${a.acceptance}`);
    const other = await run(model(prior, multivariate, false), halfMask, 41);
    assert.ok(other.images.some((v, i) => v !== a.images[i]), 'another chain length gives other images');
  });

  test(`MwG ${name}: proposal == target (all missing, q = prior) accepts every proposal`, async () => {
    const all = new Uint8Array(n * D).fill(1);
    const r = await run(model(prior, multivariate, true), all, 12);
    assert.equal(r.acceptance, 1);
    // the control: same weights but half the pixels observed, so the target is no longer q
    const c = await run(model(prior, multivariate, true), halfMask, 12);
    assert.ok(c.acceptance < 1, `acceptance ${c.acceptance} with observed pixels`);
  });
}
