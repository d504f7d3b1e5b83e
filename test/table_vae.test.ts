// A VAE on an incomplete table: the masked MLP ([x | mask] input) with the table likelihood, for
// the Gaussian, iid t and multivariate t priors. The float64 model against central finite
// differences with missing cells present (every weight, bias and log-variance); the GPU model
// against the float64 model (loss rows, every gradient). GPU tolerance per tensor as
// vae_parts.test.ts: 2e-3 max|ref| + 1e-3 |ref|; loss rows 1e-3 + 1e-4 |ref|.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMaskedInput, type VaeConfig } from '../src/model/vae_gpu.ts';
import { refParts } from '../src/ref/parts.ts';
import { forwardBackward, lossOnly, type Dense } from '../src/ref/vae.ts';
import { normalArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';
import { assertGradientsClose, checkFiniteDifferences, seededWeights, TABLE_D, tableConfigOf, tableRows, type GpuGradients } from './util/table_fixture.ts';

const harness = useHarness();
const D = TABLE_D;
const PRIORS: { name: string; prior: VaeConfig['prior'] }[] = [
  { name: 'Gaussian prior', prior: { kind: 'gaussian' } },
  { name: 'iid t prior', prior: { kind: 't', nu: 5 } },
  { name: 'multivariate t prior', prior: { kind: 't', nu: 5, multivariate: true } },
];

const configOf = (hidden: number, B: number, prior: VaeConfig['prior']) => tableConfigOf(hidden, B, prior);

function setup(config: VaeConfig, seed: number, std: number) {
  const { params, extra } = seededWeights(config, seed, std);
  return { params, x: Float32Array.from(tableRows(config.batch, seed + 1)), eps: normalArray(config.batch * config.shape.latent, seed + 2), extra: extra! };
}

for (const { name, prior } of PRIORS) {
  test(`float64 table model, ${name}: gradients match central finite differences with missing cells`, () => {
    const config = configOf(5, 4, prior);
    const { params, x, eps, extra } = setup(config, 21, 0.5);
    assert.ok(Array.from(x.subarray(0, 4 * 2 * D)).some((v, i) => i % (2 * D) >= D && v === 0), 'the batch has missing cells');
    const ex = Float64Array.from(extra);
    const loss = (p: Dense[], e?: Float64Array) => lossOnly(p, config.shape, x, eps, config.batch, config.prior, refParts(config, e));
    const fb = forwardBackward(params, config.shape, x, eps, config.batch, config.prior, refParts(config, ex));
    checkFiniteDifferences(params, ex, loss, fb.grads, fb.gradExtra);
  });

  test(`GPU table model, ${name}: loss rows and all gradients match the float64 model`, async () => {
    const config = configOf(16, 9, prior);
    const { params, x, eps, extra } = setup(config, 7, 0.3);
    const gpu = await harness().call<GpuGradients>('vaeGradients', { config, params, x, eps, extra });
    assertGradientsClose(gpu, forwardBackward(params, config.shape, x, eps, config.batch, config.prior, refParts(config, extra)));
  });
}

test('the masked input and the table likelihood come together, with the MLP only', () => {
  const c = configOf(5, 4, { kind: 'gaussian' });
  assert.throws(() => checkMaskedInput({ ...c, likelihood: undefined }), /masked input \[x \| mask\] goes with the table likelihood only/);
  assert.throws(() => checkMaskedInput({ ...c, shape: { ...c.shape, masked: false, encoder: [D, 5] } }), /needs the masked input/);
  assert.throws(() => checkMaskedInput({ ...c, classes: 3 }), /not conditional/);
  assert.throws(() => forwardBackward([], { ...c.shape, encoder: [D, 5] }, [], [], 1, c.prior), /twice its output/);
});
