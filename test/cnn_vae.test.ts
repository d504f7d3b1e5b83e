// The CNN VAE (src/parts/network/cnn*.ts) as a whole:
// - the float64 model (src/ref/cnn_vae.ts) against central finite differences of its own loss, for
//   every tensor (conv, transposed conv, batch-norm gamma/beta, dense layers, learned log-variances),
//   training mode (batch statistics), Gaussian and multivariate-t priors;
// - the GPU model against the float64 model: loss rows, every gradient by name (through the block
//   <-> PyTorch-layout mapping), the running statistics after a training forward, the evaluation-mode
//   output; the running-statistics slots get exactly zero gradient (so no optimizer moves them);
// - batch-norm modes: training and evaluation outputs differ; the evaluation forward writes nothing;
// - bad configurations refused with one error before any buffer.
// GPU tolerance per tensor: 2e-3 max|ref| + 1e-3 |ref| (f32 sums over up to 4*196*9*4 terms, as the
// MLP's vae_gradients.test.ts). Finite differences: h = 1e-5, |fd - g| <= 1e-6 + 1e-4 |g|.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { unpackExtra } from '../src/model/param_layout.ts';
import { modelLayout, modelPlan } from '../src/parts/model.ts';
import { cnnPlan, defaultCnn, type CnnNet } from '../src/parts/network/cnn.ts';
import { cnnBlock, cnnTensors, cnnTensorShapes, initCnnTensors } from '../src/parts/network/cnn_tensors.ts';
import { cnnForwardBackward } from '../src/ref/cnn_vae.ts';
import { cnnRefParts } from '../src/ref/parts.ts';
import { createRng } from '../src/rng.ts';
import { assertClose, normalArray, uniformArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

function netOf(height: number, width: number, channels: number[], kernel = 3, pad = 1): CnnNet {
  return { ...defaultCnn({ height, width, channels: 1 }), channels, kernel, pad, slope: 0.2 };
}

function configOf(net: CnnNet, L: number, B: number, parts: Partial<VaeConfig> = {}): VaeConfig {
  const D = net.image.height * net.image.width * net.image.channels;
  return { shape: { encoder: [D], latent: L, decoder: [D] }, prior: { kind: 'gaussian' }, net, batch: B, optimizer: { kind: 'sgd', lr: 0.01 }, seed: 1, ...parts };
}

/** Initial tensors with every batch-norm value and bias moved off its default, so a swapped or
 *  dropped term shows. */
function tensorsOf(config: VaeConfig, seed: number): Record<string, Float64Array> {
  const plan = modelPlan(config)!;
  const r = createRng(seed);
  const t = initCnnTensors(plan, () => r.normal());
  for (const [name, v] of Object.entries(t)) {
    for (let i = 0; i < v.length; i++) {
      const u = r.next() - 0.5;
      if (name.endsWith('running_var')) v[i] = 0.6 + Math.abs(u);
      else if (name.endsWith('running_mean') || name.endsWith('.bias')) v[i] = 0.2 * u;
      else if (/bn\d+\.weight$/.test(name)) v[i] = 1 + 0.4 * u;
    }
  }
  return t;
}

const CASES: { name: string; net: CnnNet; L: number; B: number; parts?: Partial<VaeConfig> }[] = [
  { name: '8x8, channels 4,8, 3x3 stride 2, Gaussian prior, Bernoulli decoder', net: netOf(8, 8, [4, 8]), L: 2, B: 3 },
  { name: '9x9 (odd), channels 4,8, 4x4 stride 2, multivariate t (nu 5), Gaussian decoder with learned variance', net: netOf(9, 9, [4, 8], 4, 1), L: 3, B: 2,
    parts: { prior: { kind: 't', nu: 5, multivariate: true }, likelihood: { kind: 'gaussian', variance: 'learned' } } },
];

for (const c of CASES) {
  test(`CNN float64 model, ${c.name}: gradients equal central finite differences`, () => {
    const config = configOf(c.net, c.L, c.B, c.parts);
    const plan = modelPlan(config)!;
    const D = config.shape.encoder[0];
    const t = tensorsOf(config, 3);
    const layout = modelLayout(config);
    const extra = layout.extra ? Float64Array.from(uniformArray(layout.extra.count, 9, -0.5, 0.5)) : undefined;
    const x = Float64Array.from(uniformArray(c.B * D, 5, 0, 1)), eps = Float64Array.from(normalArray(c.B * c.L, 6));
    const parts = cnnRefParts(config, extra);
    const base = cnnForwardBackward(plan, t, x, eps, c.B, c.L, parts);
    const loss = () => cnnForwardBackward(plan, t, x, eps, c.B, c.L, parts).loss;
    const hstep = 1e-5;
    const check = (what: string, v: Float64Array, g: ArrayLike<number>) => {
      const r = createRng(v.length + what.length);
      const picks = v.length <= 8 ? [...v.keys()] : Array.from({ length: 8 }, () => Math.floor(r.next() * v.length));
      for (const i of picks) {
        const old = v[i];
        v[i] = old + hstep; const up = loss();
        v[i] = old - hstep; const down = loss();
        v[i] = old;
        const fd = (up - down) / (2 * hstep);
        assert.ok(Math.abs(fd - g[i]) <= 1e-6 + 1e-4 * Math.abs(g[i]), `${what}[${i}]: finite difference ${fd}, gradient ${g[i]}`);
      }
    };
    let checked = 0;
    for (const name of Object.keys(cnnTensorShapes(plan))) {
      if (name.includes('running_')) continue;
      assert.ok(base.grads[name], `no gradient for ${name}`);
      check(name, t[name], base.grads[name]);
      checked++;
    }
    if (extra) check('likelihood.logvar', extra, base.gradExtra!);
    // weight and bias of 2 convs, 2 encoder batch norms, the head, the dense layer, 2 deconvs, 1 decoder batch norm
    assert.equal(checked, 2 * (2 + 2 + 1 + 1 + 2 + 1));
  });

  test(`CNN on the GPU, ${c.name}: loss rows, every gradient, running statistics and evaluation mode match the float64 model`, async () => {
    await gpuAgainstRef(configOf(c.net, c.L, c.B, c.parts));
  });
}

test('CNN on the GPU at the real geometry (28x28, channels 4,8,12, 3x3 stride 2 -> 14, 7, 4 and back): matches the float64 model', async () => {
  await gpuAgainstRef(configOf(netOf(28, 28, [4, 8, 12]), 3, 4));
});

async function gpuAgainstRef(config: VaeConfig): Promise<void> {
  const plan = modelPlan(config)!;
  const layout = modelLayout(config);
  const B = config.batch, L = config.shape.latent, D = config.shape.encoder[0];
  const t = tensorsOf(config, 11);
  const extra = layout.extra ? Float64Array.from(uniformArray(layout.extra.count, 12, -0.5, 0.5)) : undefined;
  const x = uniformArray(B * D, 13, 0, 1), eps = normalArray(B * L, 14);
  const parts = cnnRefParts(config, extra);
  const ref = cnnForwardBackward(plan, t, x, eps, B, L, parts);
  const refEval = cnnForwardBackward(plan, { ...t, ...ref.running }, x, eps, B, L, parts, 'eval');
  const block = cnnBlock(plan, layout, t, extra);
  const out = await harness().call<{
    train: { re: Float32Array; kl: Float32Array; logits: Float32Array }; evaluation: { re: Float32Array; kl: Float32Array; logits: Float32Array };
    grads: Float32Array; afterTrain: Float32Array; afterEval: Float32Array;
  }>('cnnVae', { config, block, x, eps });
  const tol = (ref: ArrayLike<number>) => {
    let m = 0;
    for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(ref[i]));
    return { atol: 2e-3 * m + 1e-6, rtol: 1e-3 };
  };
  assertClose(out.train.re, ref.reRows, tol(ref.reRows), 'RE rows (training mode)');
  assertClose(out.train.kl, ref.klRows, tol(ref.klRows), 'KL rows');
  assertClose(out.train.logits, ref.logits, tol(ref.logits), 'decoder output (training mode)');
  const g = cnnTensors(plan, layout, out.grads);
  for (const [name, v] of Object.entries(g)) {
    if (name.includes('running_')) {
      assert.ok(v.data.every((e) => e === 0), `${name}: the running statistics must get exactly zero gradient`);
      continue;
    }
    const bn = name.replace(/^(encoder|decoder)\.(conv|deconv)(\d+)\.bias$/, (_, half, kind, i) => `${half}.bn${i}.weight`);
    if (bn !== name && g[bn]) {
      // a bias followed by batch norm has zero gradient in exact arithmetic (the mean subtracts it);
      // in f32 it is rounding noise, small against the same layer's weight gradient
      const scale = Math.max(...ref.grads[name.replace(/bias$/, 'weight')].map(Math.abs));
      assert.ok(Math.max(...ref.grads[name].map(Math.abs)) < 1e-9 * scale + 1e-12, `${name}: the reference gradient should vanish`);
      assert.ok(v.data.every((e) => Math.abs(e) <= 1e-3 * scale), `${name}: gradient ${Math.max(...v.data.map(Math.abs))} is not rounding noise against ${scale}`);
      continue;
    }
    assertClose(v.data, ref.grads[name], tol(ref.grads[name]), `gradient of ${name}`);
  }
  if (extra) assertClose(unpackExtra(layout, out.grads), ref.gradExtra!, tol(ref.gradExtra!), 'gradient of the learned log-variances');
  const after = cnnTensors(plan, layout, out.afterTrain);
  for (const [name, v] of Object.entries(ref.running)) assertClose(after[name].data, v, { atol: 1e-5, rtol: 1e-4 }, `${name} after one training forward`);
  assert.deepEqual(out.afterEval, out.afterTrain, 'the evaluation forward must leave every parameter and running statistic unchanged');
  assertClose(out.evaluation.logits, refEval.logits, tol(refEval.logits), 'decoder output (evaluation mode)');
  assertClose(out.evaluation.re, refEval.reRows, tol(refEval.reRows), 'RE rows (evaluation mode)');
  let diff = 0;
  for (let i = 0; i < out.train.logits.length; i++) diff = Math.max(diff, Math.abs(out.train.logits[i] - out.evaluation.logits[i]));
  assert.ok(diff > 1e-2, `training-mode (batch statistics) and evaluation-mode (running statistics) outputs should differ; max difference ${diff}`);
}

test('CNN configurations that cannot be built are refused with one error naming the value', async () => {
  const D = 784;
  assert.throws(() => cnnPlan(netOf(28, 28, [32, 64, 128]), 1000, 3, 6), /images of 28x28x1 hold 784 values but the data have 1000/);
  assert.throws(() => cnnPlan(netOf(28, 28, [32, 30]), D, 3, 6), /channels\[1\] must be a positive multiple of 4.*got 30/);
  assert.throws(() => cnnPlan(netOf(28, 28, [4, 4, 4], 5, 0), D, 3, 6), /shrink 28x28 to nothing \(0x0 at conv 3\)/);
  // non-square: one output padding per layer cannot restore both 28 rows and 27 columns
  assert.throws(() => cnnPlan(netOf(28, 27, [4, 8]), 28 * 27, 3, 6), /cannot map 7x7 back to exactly 14x14|cannot map 14x14 back to exactly 28x27/);
  assert.throws(() => cnnPlan({ ...netOf(28, 28, [4]), slope: 1.5 }, D, 3, 6), /slope must be in \[0, 1\), got 1.5/);
  assert.throws(() => modelPlan({ ...configOf(netOf(28, 28, [4]), 3, 2), classes: 10 }), /conditional CNN VAE is not built/);
  // too many channels for the device: refused by the GPU builder before any buffer is made
  await assert.rejects(
    harness().call('cnnVae', { config: configOf(netOf(28, 28, [2048, 4096]), 3, 2), block: new Float32Array(4), x: new Float32Array(2 * D), eps: new Float32Array(6) }),
    /this device binds at most|workgroups/,
  );
});
