// shaders/concat_onehot.wgsl (the conditional VAE's [a | onehot(label)] and its backward slice)
// against src/ref/concat_onehot.ts: exact (copies and 0/1), padding zero, odd sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concatOnehot, concatOnehotBackward } from '../src/ref/concat_onehot.ts';
import { assertPaddingZero, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

for (const [M, K, C] of [[7, 3, 10], [5, 784, 10], [2, 1, 3]] as const) {
  test(`concat_onehot M=${M} K=${K} C=${C}: forward and backward exact`, async () => {
    const src = uniformArray(M * K, K + M), ddst = uniformArray(M * (K + C), K * M);
    const labels = Uint32Array.from({ length: M }, (_, m) => (m * 3 + 1) % C);
    const gpu = await harness().call<{ dst: Float32Array; dsrc: Float32Array }>('concatOnehot', { M, K, C, src, labels, ddst });
    assertPaddingZero(gpu.dst, M, K + C, 'dst');
    assertPaddingZero(gpu.dsrc, M, K, 'dsrc');
    assert.deepEqual(Array.from(unpad(gpu.dst, M, K + C)), Array.from(concatOnehot(src, labels, M, K, C), Math.fround));
    assert.deepEqual(Array.from(unpad(gpu.dsrc, M, K)), Array.from(concatOnehotBackward(ddst, M, K, C), Math.fround));
  });
}

test('concat_onehot reference: a label outside 0..C-1 is refused by name', () => {
  assert.throws(() => concatOnehot([1, 2], [3], 1, 2, 3), /label 3 of row 0 is not a class 0\.\.2/);
});

// Independent of src/ref: the concatenation and its backward typed out for two rows, C = 2 and 3.
test('concat_onehot matches [a | onehot(y)] typed out; the backward keeps the first K columns', async () => {
  const src = new Float32Array([1, 2, 3, 4]);
  const run = (C: number, labels: number[]) => harness().call<{ dst: Float32Array; dsrc: Float32Array }>('concatOnehot', {
    M: 2, K: 2, C, src, labels: Uint32Array.from(labels), ddst: Float32Array.from({ length: 2 * (2 + C) }, (_, i) => i + 1),
  });
  const two = await run(2, [1, 0]);
  assert.deepEqual(Array.from(unpad(two.dst, 2, 4)), [1, 2, 0, 1, 3, 4, 1, 0]);
  assert.deepEqual(Array.from(unpad(two.dsrc, 2, 2)), [1, 2, 5, 6]);
  const three = await run(3, [2, 0]);
  assert.deepEqual(Array.from(unpad(three.dst, 2, 5)), [1, 2, 0, 0, 1, 3, 4, 1, 0, 0]);
  assert.deepEqual(Array.from(unpad(three.dsrc, 2, 2)), [1, 2, 6, 7]);
});
