// A run's kernel record (src/tune/record.ts), without a GPU: what a resume forces and in which
// order, how a recorded variant the adapter cannot run falls back (and says so), and that a hostile
// kernels.json is one error naming the entry, in a run folder and in a run file alike. Resumes that
// train are in test/kernel_resume.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adapterCaps, type AdapterDescription } from '../src/gpu/device.ts';
import { GEMM_DYW, GEMM_FAMILIES, GEMM_XWT } from '../src/kernels/gemm.ts';
import { encodeRunFile, readRunFile, runFolderFiles, type RunContent } from '../src/io/run_file.ts';
import { writeTar } from '../src/io/tar.ts';
import { modelLayout } from '../src/parts/model.ts';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import type { GpuContext } from '../src/gpu/context.ts';
import type { Family } from '../src/tune/family.ts';
import { tune } from '../src/tune/measure.ts';
import { gemmRequests } from '../src/tune/requests.ts';
import { checkKernelRecord, describeRecord, kernelRecord, unfitRecorded } from '../src/tune/record.ts';
import { chooseVariant, describeChoices, emptyKernelTable, parseForced } from '../src/tune/table.ts';

const lavapipe: AdapterDescription = {
  vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: 'llvmpipe: Mesa 25.0.7', isFallback: true, isSoftware: true,
  hasTimestampQuery: true, maxBufferSize: 1 << 30, maxStorageBufferBindingSize: 1 << 30, driver: 'lavapipe', features: ['subgroups'], subgroupSize: 8, maxTextureDimension2D: 8192,
};
const caps = adapterCaps(lavapipe);
const noSubgroups = adapterCaps({ ...lavapipe, features: [] });
const families = GEMM_FAMILIES as unknown as Family<unknown>[];
const shape = { M: 100, N: 32, K: 784 };
const KEY = 'gemm_xwt|100x32x784';

test('a resume forces the recorded variant over TVAE_KERNELS and the cache; a shape it lacks gets the fallback', () => {
  const t = { ...emptyKernelTable(parseForced('subgroup.r64', families)), choices: { [KEY]: 'subgroup.r64' } };
  assert.equal(chooseVariant(t, caps, GEMM_XWT, shape).name, 'subgroup.r64', 'not pinned: forced and cached');
  t.pinned = { [KEY]: 'subgroup.r32' };
  assert.equal(chooseVariant(t, caps, GEMM_XWT, shape).name, 'subgroup.r32');
  assert.equal(chooseVariant(t, caps, GEMM_DYW, shape).name, 'base', 'not recorded: the fallback, not TVAE_KERNELS');
  assert.equal(chooseVariant(t, caps, GEMM_XWT, shape, 'subgroup.r64').name, 'subgroup.r64', 'a test may still ask for one');
  assert.match(describeChoices(t), /\(as recorded by the run\)$/);
  // a run from before records: an empty record, every fallback
  assert.equal(chooseVariant({ ...t, pinned: {} }, caps, GEMM_XWT, shape).name, 'base');
});

test('a recorded variant this adapter cannot run: its fallback runs, and one line names it and why', () => {
  const t = { ...emptyKernelTable(), pinned: { [KEY]: 'subgroup.r32', 'gemm_dyw|100x32x784': 'base' } };
  assert.equal(chooseVariant(t, noSubgroups, GEMM_XWT, shape).name, 'base');
  assert.deepEqual(unfitRecorded(t.pinned, noSubgroups, families), [`${KEY} was trained with subgroup.r32, which cannot run on this adapter (the device has no subgroups feature): using base`]);
  assert.deepEqual(unfitRecorded(t.pinned, caps, families), []);
});

test('a pinned table tunes nothing, even at shapes the tuner would time', async () => {
  const config: VaeConfig = { shape: { encoder: [784, 400], latent: 20, decoder: [400, 784] }, prior: { kind: 'gaussian' }, multivariate: false, batch: 500, optimizer: { kind: 'adam', lr: 1e-3 }, seed: 1 };
  // no device: a tuner that tried to measure would throw on the missing one
  const ctx = { kernels: { ...emptyKernelTable(), pinned: {} }, caps } as unknown as GpuContext;
  assert.deepEqual(await tune(ctx, gemmRequests(config)), []);
  await assert.rejects(() => tune({ ...ctx, kernels: emptyKernelTable() }, gemmRequests(config)), 'the same call unpinned does reach the device');
});

test('a record round-trips through its check; each hostile kernels.json is one error naming what is wrong', () => {
  const good = kernelRecord(caps, { [KEY]: 'subgroup.r32', 'gemm_dytx|100x32x784': 'base' });
  assert.deepEqual(checkKernelRecord(JSON.parse(JSON.stringify(good)), 'k.json', families), good);
  const bad = (value: unknown, re: RegExp) => assert.throws(() => checkKernelRecord(value, 'run/kernels.json', families), (e: Error) => e.name === 'TvaeError' && !e.message.includes('\n') && re.test(e.message));
  bad([], /^run\/kernels\.json is not a tvae kernel record \(it holds a list\)/);
  bad({ choices: {} }, /tvaeKernels is undefined/);
  bad({ tvaeKernels: 2, choices: {} }, /tvaeKernels is number 2, expected 1/);
  bad({ tvaeKernels: 1, choices: [] }, /choices is a list, expected an object/);
  bad({ tvaeKernels: 1, choices: { [KEY]: 'fast' } }, /choices\["gemm_xwt\|100x32x784"\] is string "fast", not a gemm_xwt variant \(variants: base, subgroup\.r32, subgroup\.r64, storage\.r64, tiled\.64, tiled\.128\)/);
  bad({ tvaeKernels: 1, choices: { [KEY]: 7 } }, /is number 7, not a gemm_xwt variant/);
  bad({ tvaeKernels: 1, choices: { [KEY]: null } }, /is null, not a gemm_xwt variant/);
  bad({ tvaeKernels: 1, choices: { 'gemm_fast|1x1x1': 'base' } }, /names no kernel family "gemm_fast"/);
  bad({ tvaeKernels: 1, choices: { '../../etc/passwd': 'base' } }, /key "\.\.\/\.\.\/etc\/passwd" is not "family\|MxNxK"/);
  bad({ tvaeKernels: 1, choices: { 'gemm_xwt|0x32x784': 'base' } }, /has a zero size/);
  bad({ tvaeKernels: 1, adapter: 'a\nb', choices: {} }, /adapter is string "a\\nb", expected a line of text/);
  bad({ tvaeKernels: 1, choices: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`gemm_xwt|${i + 1}x1x1`, 'base'])) }, /5000 entries/);
});

function content(kernels?: RunContent['kernels']): RunContent {
  const config: VaeConfig = { shape: { encoder: [784, 8], latent: 2, decoder: [8, 784] }, prior: { kind: 'gaussian' }, multivariate: false, batch: 100, optimizer: { kind: 'sgd', lr: 0.01 }, seed: 3 };
  const params = Float32Array.from({ length: modelLayout(config).bytes / 4 }, (_, i) => Math.cos(i));
  const stats = { epoch: 1, step: 5, trainRe: 100, trainKl: 3, trainLoss: 103, validRe: 101, validKl: 3.5, validLoss: 104.5, seconds: 0.25 };
  return { config, state: { epoch: 1, step: 5, params, moments: [] }, history: [stats], data: { splitSeed: 0, sizes: [55000, 5000, 10000], trainImages: 500, validImages: 100 }, epochs: 2, ...(kernels ? { kernels } : {}) };
}

test('a run file carries kernels.json; a run without one loads without; a hostile one is refused naming it', () => {
  const record = kernelRecord(caps, { [KEY]: 'subgroup.r32' });
  const back = readRunFile([{ name: 'run.tar', bytes: encodeRunFile([{ dir: 'm', content: content(record) }]) }]);
  assert.deepEqual(back[0].content.kernels, record);
  const old = readRunFile([{ name: 'run.tar', bytes: encodeRunFile([{ dir: 'm', content: content() }]) }]);
  assert.equal(old[0].content.kernels, undefined);
  const files = runFolderFiles(content(), 'm');
  const withKernels = (text: string) => writeTar([...Object.entries(files).map(([name, data]) => ({ name: `m/${name}`, data })), { name: 'm/kernels.json', data: new TextEncoder().encode(text) }]);
  assert.throws(() => readRunFile([{ name: 'run.tar', bytes: withKernels('{"tvaeKernels": 1, "choices": {"gemm_xwt|100x32x784": "fast"}}') }]), /^TvaeError: m\/kernels\.json: choices\["gemm_xwt\|100x32x784"\] is string "fast"/);
  assert.throws(() => readRunFile([{ name: 'run.tar', bytes: withKernels('{"tvaeKernels": ') }]), /m\/kernels\.json is not valid JSON/);
});

test('reports say which variants a run trained with, or that it has no record', () => {
  const r = kernelRecord(caps, { [KEY]: 'subgroup.r32', 'gemm_xwt|100x784x32': 'subgroup.r32', 'gemm_xwt|100x4x32': 'base', 'gemm_dytx|100x32x784': 'subgroup.r64' });
  assert.equal(describeRecord(r), 'gemm_xwt 2 subgroup.r32 + 1 base, gemm_dytx 1 subgroup.r64');
  assert.match(describeRecord(undefined), /^not recorded \(a run from before records: a resume uses every family's fallback\)$/);
});
