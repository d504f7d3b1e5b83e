// shaders/sigmoid_accumulate.wgsl against src/ref/sigmoid_accumulate.ts, logits far in both tails.
// Tolerance: 1e-6 + 1e-6 |ref|.
import { test } from 'node:test';
import { sigmoidAccumulateRef } from '../src/ref/sigmoid_accumulate.ts';
import { assertClose, assertPaddingZero, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

for (const [M, D] of [[500, 784], [3, 13], [2, 1]] as const) {
  test(`sigmoid_accumulate acc += w sigmoid(logits), M=${M} D=${D}`, async () => {
    const logits = uniformArray(M * D, M + D, -90, 90);
    const acc = uniformArray(M * D, M + D + 1, 0, 1);
    const { acc: out } = await harness().call<{ acc: Float32Array }>('sigmoidAccumulate', { M, D, logits, acc, weight: 1 / 30 });
    assertPaddingZero(out, M, D, 'acc');
    assertClose(unpad(out, M, D), sigmoidAccumulateRef(acc, logits, 1 / 30), { atol: 1e-6, rtol: 1e-6 }, 'acc');
  });
}

// Independent of src/ref: acc + w / (1 + exp(-l)) typed out on values with exact sigmoids
// (1/2 at 0, 3/4 at ln 3, 1/4 at -ln 3).
test('sigmoid_accumulate equals its definition typed out', async () => {
  const logits = new Float32Array([0, Math.log(3), -Math.log(3), 0]), acc = new Float32Array([0.5, 1, 0, -1]);
  const { acc: out } = await harness().call<{ acc: Float32Array }>('sigmoidAccumulate', { M: 1, D: 4, logits, acc, weight: 0.5 });
  assertClose(unpad(out, 1, 4), [0.75, 1.375, 0.125, -0.75], { atol: 1e-6, rtol: 1e-6 }, 'acc');
});
