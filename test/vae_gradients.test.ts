// The whole GPU VAE (every kernel chained by src/model/vae_gpu.ts) against the float64 CPU model
// (src/ref/vae.ts, itself checked by finite differences in ref_vae.test.ts), given the same weights,
// input and eps: per-row losses and every weight and bias gradient, for both priors; then a few
// SGD and Adam steps followed step for step.
// Tolerance per tensor: |gpu - ref| <= 2e-3 max|ref| + 1e-3 |ref| (f32 through six layers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forwardBackward, initParams, type Dense, type Prior, type VaeShape } from '../src/ref/vae.ts';
import { adamStep, sgdStep } from '../src/ref/optim.ts';
import { createRng } from '../src/rng.ts';
import { assertClose, normalArray, uniformArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';
import type { VaeConfig } from '../src/model/vae_gpu.ts';

const harness = useHarness();
const REFERENCE: VaeShape = { encoder: [784, 400, 128], latent: 10, decoder: [128, 400, 784] };
const SMALL: VaeShape = { encoder: [13, 9, 6], latent: 3, decoder: [6, 9, 13] };
const PRIORS: Prior[] = [{ kind: 'gaussian' }, { kind: 't', nu: 21 }, { kind: 't', nu: 2.5 }, { kind: 't', nu: 5, multivariate: true }];

function tensorTol(ref: ArrayLike<number>) {
  let max = 0;
  for (let i = 0; i < ref.length; i++) max = Math.max(max, Math.abs(ref[i]));
  return { atol: 2e-3 * max, rtol: 1e-3 };
}

const priorName = (p: Prior) => (p.kind === 't' ? `${p.multivariate ? 'multivariate ' : ''}t(nu=${p.nu})` : 'gaussian');

function setup(shape: VaeShape, B: number, seed: number) {
  const r = createRng(seed);
  const params = initParams(shape, () => r.normal(), 0.1);
  // biases away from zero so every bias path is exercised
  for (const l of params) for (let i = 0; i < l.b.length; i++) l.b[i] = 0.05 * r.normal();
  return { params, x: uniformArray(B * shape.encoder[0], seed + 1, 0, 1), eps: normalArray(B * shape.latent, seed + 2) };
}

for (const [shapeName, shape, B] of [['reference 784-400-128-10', REFERENCE, 16], ['small 13-9-6-3', SMALL, 5]] as const) {
  for (const prior of PRIORS) {
    test(`${shapeName}, ${priorName(prior)}: GPU loss rows and all gradients match the float64 model`, async () => {
      const { params, x, eps } = setup(shape, B, 42);
      const config: VaeConfig = { shape, prior, batch: B, optimizer: { kind: 'sgd', lr: 0.005 }, seed: 1 };
      const gpu = await harness().call<{ re: Float32Array; kl: Float32Array; grads: { w: Float32Array; b: Float32Array }[] }>(
        'vaeGradients', { config, params, x, eps });
      const ref = forwardBackward(params, shape, x, eps, B, prior);
      assertClose(gpu.re, ref.reRows, { atol: 1e-3, rtol: 1e-4 }, 'RE rows');
      assertClose(gpu.kl, ref.klRows, { atol: 1e-3, rtol: 1e-4 }, 'KL rows');
      ref.grads.forEach((g, i) => {
        assertClose(gpu.grads[i].w, g.w, tensorTol(g.w), `layer ${i} dW`);
        assertClose(gpu.grads[i].b, g.b, tensorTol(g.b), `layer ${i} db`);
      });
    });
  }
}

for (const optimizer of [{ kind: 'sgd', lr: 0.05 }, { kind: 'adam', lr: 1e-3 }] as const) {
  for (const prior of [PRIORS[0], PRIORS[1], PRIORS[3]]) {
    test(`${optimizer.kind}, ${priorName(prior)}: 4 GPU training steps follow the float64 model step for step`, async () => {
      const shape = SMALL, B = 6, steps = 4;
      const { params, x } = setup(shape, B, 7);
      const epsPerStep = Array.from({ length: steps }, (_, s) => normalArray(B * shape.latent, 100 + s));
      const config: VaeConfig = { shape, prior, batch: B, optimizer, seed: 1 };
      const gpu = await harness().call<{ losses: number[]; params: { w: Float32Array; b: Float32Array }[] }>(
        'vaeSteps', { config, params, x, eps: epsPerStep });
      const ref: Dense[] = params.map((l) => ({ ...l, w: Float64Array.from(l.w), b: Float64Array.from(l.b) }));
      const moments = ref.map((l) => ({ mw: new Float64Array(l.w.length), vw: new Float64Array(l.w.length), mb: new Float64Array(l.b.length), vb: new Float64Array(l.b.length) }));
      const losses: number[] = [];
      epsPerStep.forEach((eps, s) => {
        const fb = forwardBackward(ref, shape, x, eps, B, prior);
        losses.push(fb.loss);
        fb.grads.forEach((g, i) => {
          if (optimizer.kind === 'sgd') {
            sgdStep(ref[i].w, g.w, optimizer.lr);
            sgdStep(ref[i].b, g.b, optimizer.lr);
          } else {
            const cfg = { lr: optimizer.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
            adamStep(ref[i].w, g.w, moments[i].mw, moments[i].vw, s + 1, cfg);
            adamStep(ref[i].b, g.b, moments[i].mb, moments[i].vb, s + 1, cfg);
          }
        });
      });
      assertClose(gpu.losses, losses, { atol: 1e-4, rtol: 1e-4 }, 'loss per step');
      assert.ok(losses[steps - 1] < losses[0], `loss did not fall: ${losses}`);
      ref.forEach((l, i) => {
        assertClose(gpu.params[i].w, l.w, { atol: 1e-4, rtol: 1e-3 }, `layer ${i} W after ${steps} steps`);
        assertClose(gpu.params[i].b, l.b, { atol: 1e-4, rtol: 1e-3 }, `layer ${i} b after ${steps} steps`);
      });
    });
  }
}
