// The kernel tuner's bookkeeping (src/tune/), without a GPU: which variants are candidates on an
// adapter, how TVAE_KERNELS and tuned choices pick one, and the cache file's keys. The variants'
// results are tested in test/gemm.test.ts; the measuring loop on an adapter in test/tune_gpu.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { adapterCaps, type AdapterDescription } from '../src/gpu/device.ts';
import { GEMM_DYTX, GEMM_FAMILIES, GEMM_XWT } from '../src/kernels/gemm.ts';
import { fileChoiceStore, nodeKernelTable } from '../src/node/tune_cache.ts';
import type { AdapterCaps, Family } from '../src/tune/family.ts';
import { pairedChoice } from '../src/tune/measure.ts';
import { chooseVariant, describeChoices, emptyKernelTable, parseForced } from '../src/tune/table.ts';

const lavapipe: AdapterDescription = {
  vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: 'llvmpipe: Mesa 25.0.7', isFallback: true, isSoftware: true,
  hasTimestampQuery: true, maxBufferSize: 1 << 30, maxStorageBufferBindingSize: 1 << 30, driver: 'lavapipe', features: ['subgroups'], subgroupSize: 8, maxTextureDimension2D: 8192, storageTextureRead: true,
};
const caps = adapterCaps(lavapipe);
const shape = { M: 500, N: 400, K: 784 };
const families = GEMM_FAMILIES as unknown as Family<unknown>[];

test('the cache key names the adapter, its driver, features and subgroup size', () => {
  assert.match(caps.key, /llvmpipe: Mesa 25\.0\.7/);
  assert.notEqual(adapterCaps({ ...lavapipe, features: [] }).key, caps.key);
  assert.notEqual(adapterCaps({ ...lavapipe, subgroupSize: 4 }).key, caps.key);
  assert.notEqual(adapterCaps({ ...lavapipe, driver: 'swiftshader' }).key, caps.key);
  assert.notEqual(adapterCaps({ ...lavapipe, description: 'llvmpipe: Mesa 25.1' }).key, caps.key);
  assert.equal(adapterCaps({ ...lavapipe }).key, caps.key);
});

test('variants that need what the adapter lacks are never candidates, and say why', () => {
  const unfit = (c: AdapterCaps, s = shape) => Object.fromEntries(GEMM_XWT.variants.map((v) => [v.name, v.unfit(c, s) ?? 'fits']));
  assert.deepEqual(unfit(caps), { base: 'fits', 'subgroup.r32': 'fits', 'subgroup.r64': 'fits', 'storage.r64': 'fits', 'tiled.64': 'fits', 'tiled.128': 'fits' });
  assert.match(unfit(adapterCaps({ ...lavapipe, storageTextureRead: false }))['storage.r64'], /lacks readonly_and_readwrite_storage_textures/);
  assert.equal(unfit(adapterCaps({ ...lavapipe, storageTextureRead: false }))['subgroup.r64'], 'fits');
  assert.match(unfit(adapterCaps({ ...lavapipe, features: [] }))['subgroup.r32'], /no subgroups feature/);
  assert.match(unfit(adapterCaps({ ...lavapipe, subgroupSize: 0 }))['subgroup.r64'], /not fixed/);
  assert.match(unfit({ ...caps, subgroupSize: 64 })['subgroup.r32'], /32 rows do not split over 64 lanes/);
  // X of 40,000 x 784 floats is 7.8 M texels: 30,625 texture rows, over 8192
  assert.match(unfit(caps, { M: 40_000, N: 400, K: 784 })['subgroup.r32'], /maxTextureDimension2D 8192/);
  // without a tuned choice or a forced one, an unfit adapter gets the fallback
  const t = emptyKernelTable(['subgroup.r32']);
  assert.equal(chooseVariant(t, adapterCaps({ ...lavapipe, features: [] }), GEMM_XWT, shape).name, 'base');
  assert.throws(() => chooseVariant(t, adapterCaps({ ...lavapipe, features: [] }), GEMM_XWT, shape, 'subgroup.r32'), /subgroup\.r32 cannot run here: the device has no subgroups feature/);
});

test('choice order: asked for, then TVAE_KERNELS, then the tuned choice, then the fallback', () => {
  const t = emptyKernelTable();
  assert.equal(chooseVariant(t, caps, GEMM_XWT, shape).name, 'base');
  t.choices['gemm_xwt|500x400x784'] = 'subgroup.r64';
  assert.equal(chooseVariant(t, caps, GEMM_XWT, shape).name, 'subgroup.r64');
  assert.equal(chooseVariant(t, caps, GEMM_XWT, { ...shape, M: 499 }).name, 'base', 'choices are per shape');
  const forced = { ...emptyKernelTable(parseForced('base', families)), choices: t.choices };
  assert.equal(chooseVariant(forced, caps, GEMM_XWT, shape).name, 'base');
  assert.equal(chooseVariant(forced, caps, GEMM_XWT, shape, 'subgroup.r32').name, 'subgroup.r32');
  const perFamily = emptyKernelTable(parseForced('gemm_dytx=subgroup.r32', families));
  assert.equal(chooseVariant(perFamily, caps, GEMM_DYTX, shape).name, 'subgroup.r32');
  assert.equal(chooseVariant(perFamily, caps, GEMM_XWT, shape).name, 'base');
  // a cache from another version naming a variant that no longer exists is ignored
  assert.equal(chooseVariant({ ...emptyKernelTable(), choices: { 'gemm_xwt|500x400x784': 'gone' } }, caps, GEMM_XWT, shape).name, 'base');
  chooseVariant(perFamily, caps, GEMM_XWT, { ...shape, N: 128 });
  chooseVariant(perFamily, caps, GEMM_XWT, { ...shape, N: 10 }, 'subgroup.r64');
  assert.equal(describeChoices(perFamily), 'kernels: gemm_dytx 1 subgroup.r32, gemm_xwt 2 base + 1 subgroup.r64 (TVAE_KERNELS=gemm_dytx=subgroup.r32)');
});

test('TVAE_KERNELS: unknown names and families are one clear error', () => {
  assert.throws(() => parseForced('subgroup.r99', families), /TVAE_KERNELS: no variant "subgroup\.r99" \(variants: base, subgroup\.r32, subgroup\.r64, storage\.r64, tiled\.64, tiled\.128\)/);
  assert.throws(() => parseForced('gemm_nope=base', families), /no kernel family "gemm_nope"/);
  assert.throws(() => nodeKernelTable({ TVAE_KERNELS: 'fast' }), /no variant "fast"/);
  assert.deepEqual(parseForced(' base , gemm_xwt=subgroup.r64 ', families), ['base', 'gemm_xwt=subgroup.r64']);
});

test('the cache file keeps choices per adapter and survives damage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvae-tune-'));
  const path = join(dir, 'sub', 'kernels.json');
  const store = fileChoiceStore(path);
  assert.deepEqual(store.load(caps.key), {}, 'no file yet: nothing tuned');
  store.save(caps.key, { 'gemm_xwt|500x400x784': 'subgroup.r64' });
  store.save('other adapter', { 'gemm_xwt|500x400x784': 'base' });
  store.save(caps.key, { 'gemm_dyw|500x400x784': 'subgroup.r32' });
  assert.deepEqual(store.load(caps.key), { 'gemm_xwt|500x400x784': 'subgroup.r64', 'gemm_dyw|500x400x784': 'subgroup.r32' });
  assert.deepEqual(store.load('other adapter'), { 'gemm_xwt|500x400x784': 'base' });
  const table = nodeKernelTable({ TVAE_KERNEL_CACHE: path });
  assert.equal(table.store?.where, path);
  // entries of the wrong shape are dropped; a file that does not parse is ignored whole
  const file = JSON.parse(readFileSync(path, 'utf8'));
  file.adapters[caps.key]['../../etc'] = 'x';
  file.adapters[caps.key]['gemm_xwt|1x1x1'] = 7;
  writeFileSync(path, JSON.stringify(file));
  assert.deepEqual(Object.keys(store.load(caps.key)).sort(), ['gemm_dyw|500x400x784', 'gemm_xwt|500x400x784']);
  writeFileSync(path, '{ not json');
  assert.deepEqual(store.load(caps.key), {});
  store.save(caps.key, { 'gemm_xwt|8x8x8': 'base' });
  assert.deepEqual(store.load(caps.key), { 'gemm_xwt|8x8x8': 'base' });
});

test('the choice is by each round\'s relative times: a variant faster in most rounds wins over one lucky round', () => {
  const rounds = (times: Record<string, number[]>) => times.base.map((_, r) => new Map(Object.entries(times).map(([n, t]) => [n, t[r]])));
  // storage.r64 is the faster in four rounds of five; subgroup.r64 has the single fastest time (a
  // round where the load fell on the others), which the minimum per variant would have chosen
  const t = rounds({ base: [50, 52, 51, 60, 50], 'subgroup.r64': [16, 9, 15, 17, 16], 'storage.r64': [12, 12, 11, 13, 12] });
  assert.equal(pairedChoice(t), 'storage.r64');
  // the median of the relative times, not their mean: one round where the fastest was slowed a lot
  // does not undo the others
  assert.equal(pairedChoice(rounds({ base: [10, 10, 10], fast: [8, 30, 8] })), 'fast');
  // ties go to the lower best time, then to the first timed (the fallback)
  assert.equal(pairedChoice(rounds({ base: [10, 10], other: [10, 10] })), 'base');
  assert.equal(pairedChoice(rounds({ base: [10, 20], other: [10, 20] })), 'base');
  assert.equal(pairedChoice(rounds({ base: [10], only: [9] })), 'only');
});
