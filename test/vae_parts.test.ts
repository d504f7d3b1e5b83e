// VAEs assembled from the new parts: the full-covariance posterior (closed-form and one-sample KL)
// and the Gaussian decoder (fixed and learned variance). The float64 model with these parts
// against central finite differences (every weight, bias and learned log-variance); the GPU model
// against the float64 model (per-row losses, every gradient); bad part combinations refused.
// GPU tolerance per tensor: 2e-3 max|ref| + 1e-3 |ref| (as vae_gradients.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { modelParts } from '../src/parts/model.ts';
import { refParts } from '../src/ref/parts.ts';
import { forwardBackward, lossOnly, type Dense, type VaeShape } from '../src/ref/vae.ts';
import { normalArray, uniformArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';
import { assertGradientsClose, checkFiniteDifferences, seededWeights, type GpuGradients } from './util/table_fixture.ts';

const harness = useHarness();

const CONFIGS: { name: string; parts: Partial<VaeConfig> }[] = [
  { name: 'full posterior (closed KL), Bernoulli decoder', parts: { posterior: 'full' } },
  { name: 'full posterior (one-sample KL), Gaussian decoder s^2 = 0.5', parts: { posterior: 'full', kl: 'mc', likelihood: { kind: 'gaussian', variance: 0.5 } } },
  { name: 'diagonal posterior, Gaussian decoder with learned variance', parts: { likelihood: { kind: 'gaussian', variance: 'learned' } } },
  { name: 'full posterior (closed KL), Gaussian decoder with learned variance', parts: { posterior: 'full', likelihood: { kind: 'gaussian', variance: 'learned' } } },
  { name: 'conditional (3 classes), diagonal posterior, Bernoulli decoder', parts: { classes: 3 } },
  { name: 'LeakyReLU (slope 0.2) hidden layers, t prior', parts: { activation: { kind: 'leaky-relu', slope: 0.2 }, prior: { kind: 't', nu: 5 } } },
  { name: 'conditional (3 classes), multivariate t prior', parts: { classes: 3, prior: { kind: 't', nu: 5, multivariate: true } } },
];

function configOf(shape: VaeShape, B: number, parts: Partial<VaeConfig>): VaeConfig {
  return { shape, prior: { kind: 'gaussian' }, batch: B, optimizer: { kind: 'sgd', lr: 0.01 }, seed: 1, ...parts };
}

function setup(config: VaeConfig, seed: number, std: number) {
  const D = config.shape.encoder[0];
  const { params, extra } = seededWeights(config, seed, std);
  const gaussian = config.likelihood?.kind === 'gaussian';
  const x = gaussian ? normalArray(config.batch * D, seed + 1) : uniformArray(config.batch * D, seed + 1, 0, 1);
  const labels = config.classes ? Uint32Array.from({ length: config.batch }, (_, m) => (m * 7 + seed) % config.classes!) : undefined;
  return { params, x, eps: normalArray(config.batch * config.shape.latent, seed + 2), extra, labels };
}

for (const { name, parts } of CONFIGS) {
  test(`float64 model, ${name}: gradients match central finite differences`, () => {
    const config = configOf({ encoder: [5, 6], latent: 3, decoder: [6, 5] }, 3, parts);
    const { params, x, eps, extra, labels } = setup(config, 11, 0.5);
    const ex = extra ? Float64Array.from(extra) : undefined;
    const loss = (p: Dense[], e?: Float64Array) => lossOnly(p, config.shape, x, eps, config.batch, config.prior, refParts(config, e, labels));
    const fb = forwardBackward(params, config.shape, x, eps, config.batch, config.prior, refParts(config, ex, labels));
    checkFiniteDifferences(params, ex, loss, fb.grads, fb.gradExtra);
    if (!ex) assert.equal(fb.gradExtra, undefined);
  });

  const shapes: [string, VaeShape, number][] = [
    ['covariance study 2-128-128/2', { encoder: [2, 128, 128], latent: 2, decoder: [128, 128, 2] }, 32],
    ['small 13-9/4', { encoder: [13, 9], latent: 4, decoder: [9, 13] }, 5],
  ];
  for (const [shapeName, shape, B] of shapes) {
    test(`GPU model, ${name}, ${shapeName}: loss rows and all gradients match the float64 model`, async () => {
      const config = configOf(shape, B, parts);
      const { params, x, eps, extra, labels } = setup(config, 5, 0.2);
      const gpu = await harness().call<GpuGradients>('vaeGradients', { config, params, x, eps, extra, labels });
      assertGradientsClose(gpu, forwardBackward(params, shape, x, eps, B, config.prior, refParts(config, extra, labels)));
    });
  }
}

test('bad part combinations: one clear error each', () => {
  assert.throws(() => modelParts({ prior: { kind: 't', nu: 5 }, posterior: 'full' }), /full-covariance posterior needs the Gaussian prior, not the t prior/);
  assert.throws(() => modelParts({ prior: { kind: 'gaussian' }, likelihood: { kind: 'gaussian', variance: 0 } }), /variance must be a number > 0 or "learned", got 0/);
  assert.throws(() => modelParts({ prior: { kind: 'gaussian' }, posterior: 'banded' as never }), /unknown posterior "banded"/);
  assert.throws(() => modelParts({ prior: { kind: 'gaussian' }, likelihood: { kind: 'laplace' } as never }), /unknown likelihood "laplace"/);
  assert.throws(() => modelParts({ prior: { kind: 't', nu: 5 }, kl: 'closed' }), /KL form applies to Gaussian posteriors only/);
});
