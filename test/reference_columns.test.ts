// Issue 22 row 1 on the page: the reference's columns stand only beside a model the reference
// measured (MNIST, 784-400-128-10, Gaussian or t prior, Bernoulli decoder). The rule, each way it
// can fail, and the page table's cells with and without the columns; the page itself is driven in
// app_page.test.ts (a hidden-32 model: no columns). Pure functions: well under a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measuredByReference, type ReferenceCandidate } from '../src/eval/reference_numbers.ts';
import { modelScoreCells } from '../src/eval/table.ts';
import type { MaskScores, ModelScores } from '../src/eval/imputation.ts';

const REF_MODEL: ReferenceCandidate = { shape: { encoder: [784, 400, 128], latent: 10, decoder: [128, 400, 784] }, prior: { kind: 'gaussian' } };

test('the reference columns belong to MNIST 784-400-128-10 with a Gaussian or t prior and the Bernoulli decoder, and nothing else', () => {
  assert.equal(measuredByReference(REF_MODEL, 'mnist'), true);
  assert.equal(measuredByReference({ ...REF_MODEL, prior: { kind: 't' } }, 'mnist'), true);
  assert.equal(measuredByReference({ ...REF_MODEL, likelihood: { kind: 'bernoulli' }, activation: { kind: 'relu' }, posterior: 'diag' }, 'mnist'), true);
  const unlike: [string, ReferenceCandidate, string][] = [
    ['Fashion-MNIST', REF_MODEL, 'fashion-mnist'],
    ['latent 3', { ...REF_MODEL, shape: { ...REF_MODEL.shape, latent: 3 } }, 'mnist'],
    ['hidden 32', { ...REF_MODEL, shape: { encoder: [784, 32], latent: 10, decoder: [32, 784] } }, 'mnist'],
    ['hidden 128,400 (order)', { ...REF_MODEL, shape: { encoder: [784, 128, 400], latent: 10, decoder: [400, 128, 784] } }, 'mnist'],
    ['a CNN', { ...REF_MODEL, net: { kind: 'cnn' } }, 'mnist'],
    ['a conditional VAE', { ...REF_MODEL, classes: 10 }, 'mnist'],
    ['full covariance', { ...REF_MODEL, posterior: 'full' }, 'mnist'],
    ['a Gaussian decoder', { ...REF_MODEL, likelihood: { kind: 'gaussian' } }, 'mnist'],
    ['LeakyReLU', { ...REF_MODEL, activation: { kind: 'leaky-relu' } }, 'mnist'],
    ['a masked table model', { ...REF_MODEL, shape: { ...REF_MODEL.shape, masked: true } }, 'mnist'],
  ];
  for (const [what, config, data] of unlike) assert.equal(measuredByReference(config, data), false, what);
});

test('the page table has the reference columns only when asked, every row its own score', () => {
  const mask = (name: string, v: number): MaskScores => ({
    mask: name, missingFraction: 0.3, predictionMse: v, imputationMse: v, missingMse: v, predictionSsim: v, imputationSsim: v,
    predictionSsimWindowed: v, imputationSsimWindowed: v, gibbsImputationMse: v, gibbsMissingMse: v, mwgImputationMse: v, mwgMissingMse: v,
  });
  const scores: ModelScores = { reconstructionMse: 0.01234, masks: [mask('random 30%', 0.5), mask('50 squares 1-4', 0.25)] };
  const names = ['random 30%', '50 squares 1-4'];
  const plain = modelScoreCells(scores, names, { reference: false });
  assert.deepEqual(plain.head, ['metric', 'this model']);
  assert.ok(plain.rows.every((r) => r.length === 2), 'two cells per row without the reference');
  assert.deepEqual(plain.rows.find((r) => r[0] === 'random 30%: prediction MSE'), ['random 30%: prediction MSE', '0.5000']);
  const withRef = modelScoreCells(scores, names, { reference: true });
  assert.deepEqual(withRef.head, ['metric', 'this model', 'reference VAE', 'reference t-prior']);
  // the reference table's figures (reference_numbers.ts), typed here
  assert.deepEqual(withRef.rows[0], ['clean reconstruction MSE', '0.0123', '0.0179', '0.0182']);
  assert.deepEqual(withRef.rows.find((r) => r[0] === '50 squares 1-4: prediction MSE'), ['50 squares 1-4: prediction MSE', '0.2500', '0.0452', '0.0405']);
});
