// shaders/sgd.wgsl and shaders/adam.wgsl against src/ref/optim.ts over several steps (Adam's bias
// correction reads the GPU step counter). Tolerance: 1e-6 + 1e-5 |ref|.
import { test } from 'node:test';
import { adamStep, sgdStep } from '../src/ref/optim.ts';
import { assertClose, normalArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const N = 4 * 1001;

test('sgd: p -= lr g over 3 steps', async () => {
  const p = normalArray(N, 1), grads = [2, 3, 4].map((s) => normalArray(N, s));
  const gpu = await harness().call<{ p: Float32Array }>('optimizer', { config: { kind: 'sgd', lr: 0.005 }, p, grads });
  const ref = Float64Array.from(p);
  for (const g of grads) sgdStep(ref, g, 0.005);
  assertClose(gpu.p, ref, { atol: 1e-6, rtol: 1e-5 }, 'params');
});

test('adam: 4 steps with bias correction', async () => {
  const p = normalArray(N, 5), grads = [6, 7, 8, 9].map((s) => normalArray(N, s, 0.1));
  const cfg = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
  const gpu = await harness().call<{ p: Float32Array }>('optimizer', { config: { kind: 'adam', ...cfg }, p, grads });
  const ref = Float64Array.from(p), m = new Float64Array(N), v = new Float64Array(N);
  grads.forEach((g, i) => adamStep(ref, g, m, v, i + 1, cfg));
  assertClose(gpu.p, ref, { atol: 1e-6, rtol: 1e-5 }, 'params');
});
