// The conv families in the tuner's bookkeeping, without a GPU: a CNN's request list holds its conv
// passes (keys of the geometry's 11 numbers), its dense head and first decoder layer and the GEMMs
// of the im2col variants; a kernels.json with conv entries passes the record check, wrong ones are
// one error naming the entry; TVAE_KERNELS names the conv variants; a pinned conv choice is forced.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adapterCaps, type AdapterDescription } from '../src/gpu/device.ts';
import { CONV_BWD_WEIGHT, CONV_FWD } from '../src/kernels/conv_family.ts';
import { KERNEL_FAMILIES } from '../src/kernels/families.ts';
import { defaultCnn } from '../src/parts/network/cnn.ts';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { shapeKey } from '../src/tune/family.ts';
import { kernelRequests } from '../src/tune/requests.ts';
import { checkKernelRecord, kernelRecord, unfitRecorded } from '../src/tune/record.ts';
import { chooseVariant, emptyKernelTable, parseForced } from '../src/tune/table.ts';
import { fileChoiceStore } from '../src/node/tune_cache.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const caps = adapterCaps({
  vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: 'llvmpipe', isFallback: true, isSoftware: true,
  hasTimestampQuery: true, maxBufferSize: 1 << 30, maxStorageBufferBindingSize: 1 << 30, driver: 'lavapipe', features: ['subgroups'], subgroupSize: 8, maxTextureDimension2D: 8192,
} as AdapterDescription);
const cnn: VaeConfig = { shape: { encoder: [784], latent: 3, decoder: [784] }, prior: { kind: 'gaussian' }, net: defaultCnn(), batch: 512, optimizer: { kind: 'adam', lr: 1e-3 }, seed: 1 };
// the default CNN's middle conv: 14x14x32 -> 7x7x64, 3x3 stride 2 pad 1, at batch 512
const MID = [512, 14, 14, 32, 7, 7, 64, 3, 3, 2, 1];

test('a CNN asks the tuner for its conv passes, dense layers and the im2col GEMMs, GEMMs first', () => {
  const keys = kernelRequests(cnn).map((r) => `${r.family.name}|${shapeKey(r.shape)}`);
  for (const f of ['conv2d_fwd', 'conv2d_bwd_data', 'conv2d_bwd_weight']) assert.ok(keys.includes(`${f}|${MID.join('x')}`), `${f} of the middle conv`);
  // the head (B, 2L, flat = 4*4*128) and the decoder's fc (B, flat, L), all three forms
  for (const f of ['gemm_xwt', 'gemm_dytx', 'gemm_dyw']) {
    assert.ok(keys.includes(`${f}|512x6x2048`), `${f} of the head`);
    assert.ok(keys.includes(`${f}|512x2048x3`), `${f} of the decoder's fc`);
  }
  assert.ok(keys.includes(`gemm_xwt|${512 * 49}x64x${9 * 32}`), 'the middle conv forward as im2col GEMM');
  const firstConv = keys.findIndex((k) => k.startsWith('conv2d'));
  assert.ok(keys.slice(firstConv).every((k) => k.startsWith('conv2d')), 'every GEMM is tuned before the convs that run on it');
  // evaluation: forward launches only (a conv's forward; a transposed conv's forward is conv2d_bwd_data)
  const ev = kernelRequests(cnn, true).map((r) => r.family.name);
  assert.ok(!ev.includes('conv2d_bwd_weight') && !ev.includes('gemm_dytx') && ev.includes('conv2d_bwd_data') && ev.includes('conv2d_fwd'));
});

test('kernels.json: conv entries pass the check and are forced on resume; wrong ones are one error', () => {
  const key = `conv2d_fwd|${MID.join('x')}`;
  const good = kernelRecord(caps, { [key]: 'im2col', [`conv2d_bwd_weight|${MID.join('x')}`]: 'base', 'gemm_xwt|100x32x784': 'base' });
  assert.deepEqual(checkKernelRecord(JSON.parse(JSON.stringify(good)), 'k.json', KERNEL_FAMILIES), good);
  const bad = (choices: Record<string, unknown>, re: RegExp) =>
    assert.throws(() => checkKernelRecord({ tvaeKernels: 1, choices }, 'run/kernels.json', KERNEL_FAMILIES), (e: Error) => e.name === 'TvaeError' && re.test(e.message));
  bad({ [`conv2d_fwdx|${MID.join('x')}`]: 'base' }, /names no kernel family "conv2d_fwdx"/);
  bad({ [key]: 'subgroup.r32' }, /not a conv2d_fwd variant \(variants: base, im2col\)/);
  bad({ 'conv2d_fwd|512x14x14': 'base' }, /has 3 sizes but conv2d_fwd keys have 11/);
  bad({ [`gemm_xwt|${MID.join('x')}`]: 'base' }, /has 11 sizes but gemm_xwt keys have 3/);
  bad({ [`conv2d_fwd|${[0, ...MID.slice(1)].join('x')}`]: 'base' }, /zero size/);
  const t = { ...emptyKernelTable(parseForced('base', KERNEL_FAMILIES)), pinned: good.choices };
  const shape = { dims: MID };
  assert.equal(chooseVariant(t, caps, CONV_FWD, shape).name, 'im2col', 'the record, over TVAE_KERNELS=base');
  assert.equal(chooseVariant(t, caps, CONV_BWD_WEIGHT, shape).name, 'base');
  assert.deepEqual(unfitRecorded(good.choices, caps, KERNEL_FAMILIES), []);
  // an im2col matrix over what every device binds: the variant says why, and the fallback runs
  const huge = { dims: [65536, 28, 28, 32, 14, 14, 32, 3, 3, 2, 1] };
  assert.match(CONV_FWD.variants[1].unfit(caps, huge) ?? '', /im2col matrix .* every device binds/);
  assert.equal(chooseVariant({ ...emptyKernelTable(['im2col']) }, caps, CONV_FWD, huge).name, 'base');
});

test('TVAE_KERNELS names conv variants, alone or by family', () => {
  assert.deepEqual(parseForced('im2col', KERNEL_FAMILIES), ['im2col']);
  assert.deepEqual(parseForced('conv2d_bwd_data=im2col', KERNEL_FAMILIES), ['conv2d_bwd_data=im2col']);
  assert.throws(() => parseForced('conv2d_bwd_data=subgroup.r32', KERNEL_FAMILIES), /no variant "subgroup.r32" in conv2d_bwd_data/);
});

test('the Node tuning cache keeps conv choices (their keys have 11 numbers) and still drops malformed keys', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvae-conv-cache-'));
  try {
    const store = fileChoiceStore(join(dir, 'kernels.json'));
    const key = `conv2d_bwd_data|${MID.join('x')}`;
    store.save('a', { [key]: 'im2col', 'gemm_xwt|1x2x3': 'base', 'conv2d_fwd|1x2': 'base', '../x|1x2x3': 'base' });
    assert.deepEqual(store.load('a'), { [key]: 'im2col', 'gemm_xwt|1x2x3': 'base' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
