// Layers that do not fit fail when they are built, before anything is allocated or dispatched,
// with one error naming the offending value: kernels larger than the padded input, impossible
// transposed-conv sizes, device limits (storage binding size, workgroups per dimension),
// mismatched matrices, bad batch-norm settings. Also the CNN VAE's size arithmetic: an encoder
// 28 -> 14 -> 7 -> 4 and the decoder mirroring it gets exactly 28x28 back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convOutputSize, convTransposeOutputSize } from '../src/ref/conv2d.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const conv = (s: Record<string, number>, shapes?: Record<string, [number, number, boolean?]>) =>
  harness().call('convBuild', { kind: 'conv', shape: { N: 2, Cin: 3, H: 7, W: 7, Cout: 4, KH: 3, KW: 3, stride: 2, pad: 1, ...s }, shapes });
const convT = (s: Record<string, number>, shapes?: Record<string, [number, number, boolean?]>) =>
  harness().call('convBuild', { kind: 'convT', shape: { N: 2, Cin: 4, H: 4, W: 4, Cout: 3, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 0, ...s }, shapes });

test('valid layers build (the probe itself works)', async () => {
  assert.equal(await conv({}), 'built');
  assert.equal(await convT({}), 'built');
  assert.equal(await harness().call('bnBuild', { M: 10, C: 3, eps: 1e-5, momentum: 0.1 }), 'built');
});

test('conv: a kernel larger than the padded input names both sizes', async () => {
  await assert.rejects(conv({ H: 3, W: 3, KH: 5, KW: 5, pad: 0 }), /kernel height 5 is larger than the padded input height H \+ 2\*pad = 3/);
  await assert.rejects(conv({ H: 9, W: 2, KH: 3, KW: 5, pad: 1 }), /kernel width 5 is larger than the padded input width W \+ 2\*pad = 4/);
});

test('conv and transposed conv: non-integer or out-of-range hyperparameters', async () => {
  await assert.rejects(conv({ stride: 0 }), /stride must be an integer >= 1, got 0/);
  await assert.rejects(conv({ pad: -1 }), /pad must be an integer >= 0, got -1/);
  await assert.rejects(conv({ Cin: 2.5 }), /Cin must be an integer >= 1, got 2.5/);
  await assert.rejects(convT({ outputPadding: 2 }), /outputPadding 2 must be smaller than stride 2/);
  await assert.rejects(convT({ H: 1, W: 1, KH: 1, KW: 1, pad: 1 }), /output -1x-1 = \(H-1\)\*stride - 2\*pad \+ K \+ outputPadding is empty/);
});

test('a weight beyond maxStorageBufferBindingSize is refused, naming its size and the limit', async () => {
  const lim = harness().adapter.maxStorageBufferBindingSize;
  const C = Math.ceil(Math.sqrt(lim / 36) / 4) * 4 + 4; // 3x3 weight: 36 C² bytes
  await assert.rejects(conv({ N: 1, H: 3, W: 3, Cin: C, Cout: C }), new RegExp(`the weight \\(${C} x 3x3x${C}\\) needs ${36 * C * C} bytes but a storage binding may be at most ${lim} \\(maxStorageBufferBindingSize\\)`));
});

test('an image beyond maxStorageBufferBindingSize is refused', async () => {
  const lim = harness().adapter.maxStorageBufferBindingSize;
  const N = Math.ceil(lim / (28 * 28 * 32 * 4)) + 1;
  await assert.rejects(conv({ N, H: 28, W: 28, Cin: 32, Cout: 4 }), new RegExp(`the big image \\(${N}x28x28x32\\) needs ${N * 28 * 28 * 32 * 4} bytes .*maxStorageBufferBindingSize`));
});

test('a weight gradient needing more than maxComputeWorkgroupsPerDimension workgroups is refused', async () => {
  // 64 invocations per workgroup, one per 4x4 block of the (C, 9 C) weight: 9 C² / 16 / 64 workgroups
  const C = 2800, groups = Math.ceil((9 * C * C / 16 + C / 4) / 64);
  const lim = harness().adapter.maxStorageBufferBindingSize;
  // on a device whose bindings cannot even hold this weight, the size check fires first
  const expected = 36 * C * C <= lim
    ? new RegExp(`needs ${groups} workgroups in one dimension but this device allows at most \\d+ \\(maxComputeWorkgroupsPerDimension\\)`)
    : new RegExp(`needs ${36 * C * C} bytes .*maxStorageBufferBindingSize`);
  await assert.rejects(conv({ N: 1, H: 3, W: 3, Cin: C, Cout: C }), expected);
});

test('conv: matrices that do not match the layer name the matrix and both shapes', async () => {
  // x: N*H*W = 98 rows of 3 channels; y: 2*4*4 = 32 rows of 4 channels; w: 4 x 9*4
  await assert.rejects(conv({}, { x: [97, 3] }), /input x is 97x3 but the layer needs 98x3/);
  await assert.rejects(conv({}, { y: [32, 5] }), /output y is 32x5 but the layer needs 32x4/);
  await assert.rejects(conv({}, { w: [4, 27, true] }), /weight w is 4x27 but the layer needs 4x36/);
  await assert.rejects(conv({}, { w: [3, 36, true] }), /weight w is 3x36 but the layer needs 4x36/);
  await assert.rejects(conv({}, { b: [1, 3] }), /bias b is 1x3 but the layer needs 1x4/);
  await assert.rejects(conv({ Cout: 5 }, { w: [5, 36, false] }), /weight w must be allocated with rows padded to 4 \(rows 5, allocated 5\)/);
  await assert.rejects(convT({}, { dy: [2 * 7 * 7, 4] }), /output gradient dy is 98x4 but the layer needs 98x3/);
});

test('batch norm: bad settings and shapes name the value', async () => {
  const bn = (a: Record<string, number>) => harness().call('bnBuild', { M: 10, C: 3, eps: 1e-5, momentum: 0.1, ...a });
  await assert.rejects(bn({ M: 1 }), /needs at least 2 values per channel .* got 1/);
  await assert.rejects(bn({ momentum: 1.5 }), /momentum must be in \[0, 1\], got 1.5/);
  await assert.rejects(bn({ eps: 0 }), /eps must be a finite number > 0, got 0/);
  await assert.rejects(bn({ xRows: 9 }), /input x is 9x3 but must be 10x3/);
});

test('the decoder mirroring a 28 -> 14 -> 7 -> 4 encoder gets exactly 28x28 back', () => {
  // conv Ho = floor((H + 2p - K)/s) + 1; transposed Ho = (H-1)s - 2p + K + outputPadding
  // 4x4 kernels, stride 2, pad 1 halve exactly (28 -> 14 -> 7) and double exactly back; 7 -> 4
  // needs a 3x3 kernel (pad 1), mirrored by a 3x3 transposed conv 4 -> 7 with outputPadding 0.
  const enc = [[4, 1], [4, 1], [3, 1]] as const;
  const sizes = [28];
  for (const [k, p] of enc) sizes.push(convOutputSize(sizes.at(-1)!, k, 2, p));
  assert.deepEqual(sizes, [28, 14, 7, 4]);
  let h = 4;
  for (const [k, p] of [...enc].reverse()) h = convTransposeOutputSize(h, k, 2, p, 0);
  assert.equal(h, 28);
  // all-3x3 encoder: 28 -> 14 -> 7 -> 4 too; the mirror needs outputPadding 1 on the two doublings
  const s3 = [28]; for (let i = 0; i < 3; i++) s3.push(convOutputSize(s3.at(-1)!, 3, 2, 1));
  assert.deepEqual(s3, [28, 14, 7, 4]);
  assert.deepEqual([convTransposeOutputSize(4, 3, 2, 1, 0), convTransposeOutputSize(7, 3, 2, 1, 1), convTransposeOutputSize(14, 3, 2, 1, 1)], [7, 14, 28]);
});
