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

// Independent of src/ref: the updates typed out. SGD: p - lr g per step. Adam from m = v = 0, two
// steps (t = 1, 2), beta1 0.9, beta2 0.99 and a large eps so that its place (outside the square
// root) shows: m1 = 0.1 g1, v1 = 0.01 g1^2, corrected m1/0.1 = g1 and v1/0.01 = g1^2;
// m2 = 0.09 g1 + 0.1 g2, v2 = 0.0099 g1^2 + 0.01 g2^2, corrected by 1 - 0.9^2 = 0.19 and 1 - 0.99^2 = 0.0199.
test('sgd and adam equal their update rules typed out (two steps)', async () => {
  // 5 vec4: the kernels update 4 vec4s per invocation, so one full group and a tail of one
  const more = (head: number[], k: number) => Float32Array.from({ length: 20 }, (_, i) => head[i] ?? ((i * k) % 7) / 2 - 1.5);
  const p = more([1, -2, 0.5, 3, 0, 1, -1, 2], 3);
  const g1 = more([0.5, -1, 2, 0, 0.25, -0.5, 1, 3], 5), g2 = more([-0.5, 1, 1, 2, 0.5, 0.5, -2, 1], 2);
  const sgd = await harness().call<{ p: Float32Array }>('optimizer', { config: { kind: 'sgd', lr: 0.1 }, p, grads: [g1, g2] });
  assertClose(sgd.p, Array.from(p, (v, i) => v - 0.1 * g1[i] - 0.1 * g2[i]), { atol: 1e-6, rtol: 1e-6 }, 'sgd');
  const lr = 0.01, eps = 0.1;
  const adam = await harness().call<{ p: Float32Array }>('optimizer', { config: { kind: 'adam', lr, beta1: 0.9, beta2: 0.99, eps }, p, grads: [g1, g2] });
  const want = Array.from(p, (v, i) => {
    const a = g1[i], b = g2[i];
    const step1 = (lr * a) / (Math.abs(a) + eps);
    const mhat = (0.09 * a + 0.1 * b) / 0.19, vhat = (0.0099 * a * a + 0.01 * b * b) / 0.0199;
    return v - step1 - (lr * mhat) / (Math.sqrt(vhat) + eps);
  });
  assertClose(adam.p, want, { atol: 1e-6, rtol: 1e-5 }, 'adam');
});
