// A VAE on an incomplete table: the masked MLP ([x | mask] input) with the table likelihood, for
// the Gaussian, iid t and multivariate t priors. The float64 model against central finite
// differences with missing cells present (every weight, bias and log-variance); the GPU model
// against the float64 model (loss rows, every gradient). GPU tolerance per tensor as
// vae_parts.test.ts: 2e-3 max|ref| + 1e-3 |ref|; loss rows 1e-3 + 1e-4 |ref|.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMaskedInput, type VaeConfig } from '../src/model/vae_gpu.ts';
import { modelLayers, modelParts } from '../src/parts/model.ts';
import { refParts } from '../src/ref/parts.ts';
import { forwardBackward, initParams, lossOnly, type Dense, type VaeShape } from '../src/ref/vae.ts';
import { tableLayout, type TableColumnSpec } from '../src/parts/likelihood/table_layout.ts';
import { createRng } from '../src/rng.ts';
import { assertClose, normalArray, uniformArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const COLUMNS: TableColumnSpec[] = [{ type: 'real', width: 1 }, { type: 'categorical', width: 3 }, { type: 'binary', width: 1 }, { type: 'real', width: 1 }];
const D = tableLayout(COLUMNS).width;
const PRIORS: { name: string; prior: VaeConfig['prior'] }[] = [
  { name: 'Gaussian prior', prior: { kind: 'gaussian' } },
  { name: 'iid t prior', prior: { kind: 't', nu: 5 } },
  { name: 'multivariate t prior', prior: { kind: 't', nu: 5, multivariate: true } },
];

function configOf(hidden: number, B: number, prior: VaeConfig['prior']): VaeConfig {
  const shape: VaeShape = { encoder: [2 * D, hidden], latent: 2, decoder: [hidden, D], masked: true };
  return { shape, prior, likelihood: { kind: 'table', columns: COLUMNS }, batch: B, optimizer: { kind: 'sgd', lr: 0.01 }, seed: 1 };
}

/** [x | mask] rows with about a third of the cells missing (x = 0 there, as the reader leaves it). */
function tableRows(B: number, seed: number): Float32Array {
  const L = tableLayout(COLUMNS), r = createRng(seed);
  const xm = new Float32Array(B * 2 * D);
  for (let m = 0; m < B; m++) {
    for (const c of L.columns) {
      if (r.next() < 0.35) continue;
      const at = m * 2 * D + c.offset;
      xm.fill(1, at + D, at + D + c.width);
      if (c.type === 'real') xm[at] = r.normal();
      else if (c.type === 'binary') xm[at] = r.int(2);
      else xm[at + r.int(c.width)] = 1;
    }
  }
  return xm;
}

function setup(config: VaeConfig, seed: number, std: number) {
  const r = createRng(seed);
  const head = modelLayers(config)[config.shape.encoder.length - 1].out;
  const params = initParams(config.shape, () => r.normal(), std, head);
  for (const l of params) for (let i = 0; i < l.b.length; i++) l.b[i] = 0.05 * r.normal();
  const extra = uniformArray(modelParts(config).likelihood.extraParams(D), seed + 3, -0.5, 0.5);
  return { params, x: tableRows(config.batch, seed + 1), eps: normalArray(config.batch * config.shape.latent, seed + 2), extra };
}

for (const { name, prior } of PRIORS) {
  test(`float64 table model, ${name}: gradients match central finite differences with missing cells`, () => {
    const config = configOf(5, 4, prior);
    const { params, x, eps, extra } = setup(config, 21, 0.5);
    assert.ok(Array.from(x.subarray(0, 4 * 2 * D)).some((v, i) => i % (2 * D) >= D && v === 0), 'the batch has missing cells');
    const ex = Float64Array.from(extra);
    const loss = (p: Dense[], e: Float64Array) => lossOnly(p, config.shape, x, eps, config.batch, config.prior, refParts(config, e));
    const fb = forwardBackward(params, config.shape, x, eps, config.batch, config.prior, refParts(config, ex));
    const h = 1e-6, check = (fd: number, an: number, what: string) => assert.ok(Math.abs(fd - an) <= 1e-6 + 1e-5 * Math.abs(an), `${what}: fd ${fd} vs analytic ${an}`);
    params.forEach((l, k) => {
      for (const which of ['w', 'b'] as const) {
        for (let i = 0; i < l[which].length; i++) {
          const old = l[which][i];
          l[which][i] = old + h; const lp = loss(params, ex);
          l[which][i] = old - h; const lm = loss(params, ex);
          l[which][i] = old;
          check((lp - lm) / (2 * h), fb.grads[k][which][i], `layer ${k} ${which}[${i}]`);
        }
      }
    });
    for (let i = 0; i < ex.length; i++) {
      const p = Float64Array.from(ex), m = Float64Array.from(ex);
      p[i] += h; m[i] -= h;
      check((loss(params, p) - loss(params, m)) / (2 * h), fb.gradExtra![i], `log-variance ${i}`);
    }
  });

  test(`GPU table model, ${name}: loss rows and all gradients match the float64 model`, async () => {
    const config = configOf(16, 9, prior);
    const { params, x, eps, extra } = setup(config, 7, 0.3);
    const gpu = await harness().call<{ re: Float32Array; kl: Float32Array; grads: { w: Float32Array; b: Float32Array }[]; gradExtra: Float32Array }>('vaeGradients', { config, params, x, eps, extra });
    const ref = forwardBackward(params, config.shape, x, eps, config.batch, config.prior, refParts(config, extra));
    assertClose(gpu.re, ref.reRows, { atol: 1e-3, rtol: 1e-4 }, 'RE rows');
    assertClose(gpu.kl, ref.klRows, { atol: 1e-3, rtol: 1e-4 }, 'KL rows');
    const tol = (v: ArrayLike<number>) => ({ atol: 2e-3 * Math.max(...Array.from(v, Math.abs)), rtol: 1e-3 });
    ref.grads.forEach((g, i) => {
      assertClose(gpu.grads[i].w, g.w, tol(g.w), `layer ${i} dW`);
      assertClose(gpu.grads[i].b, g.b, tol(g.b), `layer ${i} db`);
    });
    assertClose(gpu.gradExtra, ref.gradExtra!, tol(ref.gradExtra!), 'd log-variance');
  });
}

test('the masked input and the table likelihood come together, with the MLP only', () => {
  const c = configOf(5, 4, { kind: 'gaussian' });
  assert.throws(() => checkMaskedInput({ ...c, likelihood: undefined }), /masked input \[x \| mask\] goes with the table likelihood only/);
  assert.throws(() => checkMaskedInput({ ...c, shape: { ...c.shape, masked: false, encoder: [D, 5] } }), /needs the masked input/);
  assert.throws(() => checkMaskedInput({ ...c, classes: 3 }), /not conditional/);
  assert.throws(() => forwardBackward([], { ...c.shape, encoder: [D, 5] }, [], [], 1, c.prior), /twice its output/);
});
