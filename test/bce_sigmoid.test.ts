// shaders/bce_sigmoid.wgsl against src/ref/bce.ts, including logits far in the tails where a
// naive log(sigmoid) overflows. Tolerance: row loss 1e-4 + 1e-5 |ref| (sums of 784 terms in f32),
// gradient 1e-6 + 1e-5 |ref|.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bceFromLogits } from '../src/ref/bce.ts';
import { assertClose, assertPaddingZero, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

for (const [M, D, span] of [[8, 784, 8], [500, 784, 8], [3, 13, 8], [4, 7, 200]] as const) {
  test(`bce_sigmoid row loss and gradient, M=${M} D=${D}, logits in ±${span}`, async () => {
    const logits = uniformArray(M * D, M + D, -span, span);
    const x = uniformArray(M * D, M + D + 1, 0, 1);
    // include exact 0/1 targets, as MNIST has
    for (let i = 0; i < x.length; i += 3) x[i] = i % 2;
    const scale = 1 / M;
    const gpu = await harness().call<{ grad: Float32Array; rowLoss: Float32Array }>('bce', { M, D, logits, x, scale });
    const ref = bceFromLogits(logits, x, M, D);
    assertPaddingZero(gpu.grad, M, D, 'dLogits');
    for (const v of gpu.rowLoss) assert.ok(Number.isFinite(v), `row loss ${v} is not finite`);
    assertClose(gpu.rowLoss, ref.rowLoss, { atol: 1e-4, rtol: 1e-5 }, 'row loss');
    assertClose(unpad(gpu.grad, M, D), Float64Array.from(ref.grad, (g) => (g * M) * scale), { atol: 1e-6, rtol: 1e-5 }, 'gradient');
  });
}

// Independent of src/ref: the binary cross-entropy -[x log s + (1 - x) log(1 - s)], s = 1/(1 + e^-l),
// and its gradient (s - x) * scale, typed out on moderate logits (no overflow in the naive form).
test('bce_sigmoid equals -[x log s + (1-x) log(1-s)] and (s - x) scale, typed out', async () => {
  const logits = new Float32Array([-2, -0.5, 0, 0.7, 3, 1.5]), x = new Float32Array([0, 1, 0.3, 1, 0, 0.6]);
  const M = 2, D = 3, scale = 0.25;
  const gpu = await harness().call<{ grad: Float32Array; rowLoss: Float32Array }>('bce', { M, D, logits, x, scale });
  const s = Array.from(logits, (l) => 1 / (1 + Math.exp(-l)));
  const terms = s.map((p, i) => -(x[i] * Math.log(p) + (1 - x[i]) * Math.log(1 - p)));
  assertClose(gpu.rowLoss, [terms[0] + terms[1] + terms[2], terms[3] + terms[4] + terms[5]], { atol: 1e-5, rtol: 1e-5 }, 'row loss');
  assertClose(unpad(gpu.grad, M, D), s.map((p, i) => (p - x[i]) * scale), { atol: 1e-6, rtol: 1e-5 }, 'gradient');
});
