// shaders/gather_batch.wgsl against src/ref/gather_batch.ts: byte images picked by a shuffled
// order at the batch given by the GPU step counter, scaled to [0,1] (exact: k/255 in f32).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatherBatchRef } from '../src/ref/gather_batch.ts';
import { createRng, permutation } from '../src/rng.ts';
import { assertClose, assertPaddingZero, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

for (const [count, D, B] of [[60, 784, 7], [33, 13, 4], [9, 5, 3], [16, 7, 5], [13, 6, 4], [12, 21, 3]] as const) {
  test(`gather_batch: ${count} images of ${D} pixels, batch ${B}, batches 0 and 2 of an epoch`, async () => {
    const r = createRng(count + D);
    const pixels = Uint8Array.from({ length: count * D }, () => r.int(256));
    const order = permutation(count, r);
    for (const batch of [0, 2]) {
      const epochStart = 40;
      const { x } = await harness().call<{ x: Float32Array }>('gather', { pixels, count, D, B, order, step: epochStart + batch, epochStart });
      assertPaddingZero(x, B, D, 'x');
      assertClose(unpad(x, B, D), gatherBatchRef(pixels, D, order, batch, B), { atol: 1e-7, rtol: 0 }, `batch ${batch}`);
    }
  });
}

test('gather_batch: a batch larger than the data set is refused', async () => {
  await assert.rejects(
    harness().call('gather', { pixels: new Uint8Array(5 * 4), count: 5, D: 4, B: 6, order: new Uint32Array(5), step: 0, epochStart: 0 }),
    /batch size 6 is larger than the data set \(5 images\)/,
  );
});

test('gather_batch f32: real-valued points copied bit for bit in the shuffled order', async () => {
  const count = 21, D = 2, B = 5, r = createRng(3);
  const values = Float32Array.from({ length: count * D }, () => 10 * r.normal());
  const order = permutation(count, r);
  const { x } = await harness().call<{ x: Float32Array }>('gatherF32', { values, count, D, B, order, step: 12, epochStart: 10 });
  assertPaddingZero(x, B, D, 'x');
  const want = Float32Array.from({ length: B * D }, (_, k) => values[order[2 * B + Math.floor(k / D)] * D + (k % D)]);
  assert.deepEqual(Array.from(unpad(x, B, D)), Array.from(want));
});

// Independent of src/ref: the picks typed out. Three images of 5 bytes (so images straddle the
// 4-byte words the kernel unpacks), order [2, 0, 1], batch size 1: batch b holds image order[b],
// its bytes / 255.
test('gather_batch picks image order[batch] and scales its bytes by 1/255, typed out', async () => {
  const pixels = Uint8Array.from([0, 255, 51, 102, 1, 204, 153, 2, 3, 4, 5, 6, 7, 8, 250]);
  const order = Uint32Array.from([2, 0, 1]);
  const want = [[5, 6, 7, 8, 250], [0, 255, 51, 102, 1], [204, 153, 2, 3, 4]];
  for (const batch of [0, 1, 2]) {
    const { x } = await harness().call<{ x: Float32Array }>('gather', { pixels, count: 3, D: 5, B: 1, order, step: 7 + batch, epochStart: 7 });
    assertClose(unpad(x, 1, 5), want[batch].map((v) => v / 255), { atol: 1e-7, rtol: 0 }, `batch ${batch}`);
  }
});
