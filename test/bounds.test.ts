// src/eval/bounds.ts on the GPU against the true -log p(x) of small models, computed in float64
// by quadrature over z of p(x | z) p(z) (the float64 decoder of src/ref, an independent path from
// the importance weights): NELBO >= -log p(x) >= ... and the importance-weighted estimate close to
// -log p(x) with K = 2000 within 4 of its delta-method standard errors + 0.005 (quadrature and
// f32), and closer than the NELBO. The posterior is a fixed Gaussian near the prior, so importance sampling works. Latent 2 by a 2-D grid, for a diagonal and a full-covariance posterior with a
// Gaussian decoder, and a diagonal one with a Bernoulli decoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { modelLayers } from '../src/parts/model.ts';
import { addBiasRelu, matmulXWt } from '../src/ref/gemm.ts';
import { initParams, type Dense } from '../src/ref/vae.ts';
import { bceFromLogits } from '../src/ref/bce.ts';
import { gaussianNll } from '../src/ref/gaussian_nll.ts';
import { createRng } from '../src/rng.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

function decoder(params: Dense[], config: VaeConfig, z: Float64Array, n: number): Float64Array {
  const layers = modelLayers(config), nEnc = config.shape.encoder.length;
  let a: Float64Array = z;
  for (let k = nEnc; k < layers.length; k++) a = addBiasRelu(matmulXWt(a, params[k].w, n, layers[k].out, layers[k].in), params[k].b, n, layers[k].out, layers[k].relu);
  return a;
}

/** -log p(x) by a G x G midpoint grid over z in [-7, 7]^2 under N(0, I). */
function trueNll(params: Dense[], config: VaeConfig, x: Float32Array, variance?: number): number {
  const G = 280, lo = -7, h = 14 / G, D = config.shape.encoder[0];
  const z = new Float64Array(G * G * 2);
  for (let i = 0; i < G; i++) for (let j = 0; j < G; j++) { z[2 * (i * G + j)] = lo + (i + 0.5) * h; z[2 * (i * G + j) + 1] = lo + (j + 0.5) * h; }
  const out = decoder(params, config, z, G * G);
  const xs = new Float64Array(G * G * D);
  for (let r = 0; r < G * G; r++) for (let d = 0; d < D; d++) xs[r * D + d] = x[d];
  const rows = variance === undefined ? bceFromLogits(out, xs, G * G, D).rowLoss : gaussianNll(out, xs, new Float64Array(D).fill(Math.log(variance)), G * G, D).rowLoss;
  let max = -Infinity;
  const logs = new Float64Array(G * G);
  for (let r = 0; r < G * G; r++) {
    const z0 = z[2 * r], z1 = z[2 * r + 1];
    logs[r] = -rows[r] - 0.5 * (z0 * z0 + z1 * z1) - Math.log(2 * Math.PI) + 2 * Math.log(h);
    max = Math.max(max, logs[r]);
  }
  let s = 0;
  for (const l of logs) s += Math.exp(l - max);
  return -(max + Math.log(s));
}

const CASES: { name: string; parts: Partial<VaeConfig>; D: number; variance?: number }[] = [
  { name: 'diagonal posterior, Gaussian decoder', parts: { likelihood: { kind: 'gaussian', variance: 1 } }, D: 2, variance: 1 },
  { name: 'full posterior, Gaussian decoder', parts: { posterior: 'full', likelihood: { kind: 'gaussian', variance: 1 } }, D: 2, variance: 1 },
  { name: 'diagonal posterior, Bernoulli decoder', parts: {}, D: 6 },
];

for (const c of CASES) {
  test(`bounds, ${c.name}: NELBO >= IW estimate ~ -log p(x) by quadrature; reconstructions and samples finite`, async () => {
    const n = 4, K = 2000;
    const config: VaeConfig = { shape: { encoder: [c.D, 16], latent: 2, decoder: [16, c.D] }, prior: { kind: 'gaussian' }, batch: n, optimizer: { kind: 'adam', lr: 1e-3 }, seed: 3, ...c.parts };
    const r = createRng(9);
    const head = modelLayers(config)[1].out;
    const params = initParams(config.shape, () => r.normal(), 0.25, head);
    // a fixed q(z|x) near the prior (the head's weights 0, its biases mu, logvar and a lower
    // entry), so that 2000 importance samples suffice; it is not the prior, so log q - log p counts
    const headLayer = params[config.shape.encoder.length - 1];
    headLayer.w.fill(0);
    headLayer.b.set([0.3, -0.2, -0.4, 0.2, ...(head > 4 ? [0.3] : [])]);
    const x = Float32Array.from({ length: n * c.D }, () => (c.variance === undefined ? Number(r.next() < 0.5) : 1.5 * r.normal()));
    const gpu = await harness().call<{ nelbo: Float64Array; iw: Float64Array; iwSe: Float64Array; recon: Float32Array; samples: Float32Array }>('bounds', { config, params, x, n, K });
    for (let m = 0; m < n; m++) {
      const truth = trueNll(params, config, x.subarray(m * c.D, (m + 1) * c.D), c.variance);
      console.log(`${c.name}, point ${m}: -log p(x) ${truth.toFixed(4)}, IW(K=${K}) ${gpu.iw[m].toFixed(4)} ± ${gpu.iwSe[m].toFixed(4)}, NELBO ${gpu.nelbo[m].toFixed(4)}`);
      assert.ok(gpu.nelbo[m] >= truth - 0.01, `point ${m}: NELBO ${gpu.nelbo[m]} below -log p(x) ${truth}`);
      assert.ok(Math.abs(gpu.iw[m] - truth) <= 4 * gpu.iwSe[m] + 0.005, `point ${m}: IW ${gpu.iw[m]} ± ${gpu.iwSe[m]} vs -log p(x) ${truth}`);
      assert.ok(gpu.iwSe[m] < 0.1, `point ${m}: IW standard error ${gpu.iwSe[m]}: q is too far from the posterior for this test`);
      assert.ok(Math.abs(gpu.iw[m] - truth) <= Math.abs(gpu.nelbo[m] - truth) + 1e-3, `point ${m}: IW no closer than the NELBO`);
    }
    for (const v of [...gpu.recon, ...gpu.samples]) assert.ok(Number.isFinite(v));
    assert.equal(gpu.samples.length, n * c.D);
  });
}
