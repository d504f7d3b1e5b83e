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
