// Invalid kernel inputs fail at build time, before anything is dispatched, with one clear
// error naming the offending value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const build = (kind: string, shapes: Record<string, [number, number]>, nu?: number) => harness().call('validate', { kind, shapes, nu });

test('valid shapes build (the probe itself works)', async () => {
  assert.equal(await build('gemmXWt', { x: [5, 7], w: [3, 7], b: [1, 3], y: [5, 3] }), 'built');
  assert.equal(await build('reparam', { h: [4, 6], eps: [1, 12], z: [4, 3], kl: [1, 4], dz: [4, 3], dh: [4, 6] }, 21), 'built');
});

test('gemm_xwt: K mismatch names both sizes', async () => {
  await assert.rejects(build('gemmXWt', { x: [5, 7], w: [3, 8], b: [1, 3], y: [5, 3] }), /X has 7 columns but W has 8/);
});

test('gemm_xwt: output columns and bias must match W rows', async () => {
  await assert.rejects(build('gemmXWt', { x: [5, 7], w: [3, 7], b: [1, 3], y: [5, 4] }), /W has 3 rows but Y has 4 columns/);
  await assert.rejects(build('gemmXWt', { x: [5, 7], w: [3, 7], b: [1, 2], y: [5, 3] }), /bias has 2 entries/);
  await assert.rejects(build('gemmXWt', { x: [5, 7], w: [3, 7], b: [1, 3], y: [6, 3] }), /X has 5 rows but Y has 6/);
});

test('gemm_dyw and gemm_dytx: mismatched shapes', async () => {
  await assert.rejects(build('gemmDyW', { dy: [5, 3], w: [4, 7], dx: [5, 7] }), /dY has 3 columns but W has 4 rows/);
  await assert.rejects(build('gemmDyW', { dy: [5, 3], w: [3, 7], dx: [5, 7], act: [5, 6] }), /mask act has 6 columns but dX has 7/);
  await assert.rejects(build('gemmDytX', { dy: [5, 3], x: [6, 7], dw: [3, 7], db: [1, 3] }), /dY has 5 rows but X has 6/);
});

test('t prior and t noise: nu <= 0 is refused, naming the value', async () => {
  const shapes = { h: [4, 6], eps: [1, 12], z: [4, 3], kl: [1, 4], dz: [4, 3], dh: [4, 6] } as Record<string, [number, number]>;
  await assert.rejects(build('reparam', shapes, 0), /nu.*got 0/);
  await assert.rejects(build('reparam', shapes, -2.5), /nu.*got -2.5/);
  await assert.rejects(build('sample', { eps: [4, 12] }, -1), /nu.*got -1/);
});

test('reparam: encoder output must be 2 x latent', async () => {
  await assert.rejects(build('reparam', { h: [4, 5], eps: [1, 12], z: [4, 3], kl: [1, 4], dz: [4, 3], dh: [4, 6] }, 21), /encoder output has 5 columns but must be 2 x latent \(6\)/);
});

test('a buffer larger than the device allows is refused with both sizes', async () => {
  const max = harness().adapter.maxBufferSize;
  await assert.rejects(build('buffer', { big: [100_000, 100_000] }), new RegExp(`needs 40000000000 bytes but this device allows at most ${max}`));
});
