// src/io/safetensors.ts (byte layout, round trip, every corruption -> TvaeError, cross-check against
// numpy when python3+numpy exist and always against an independent DataView parser) and
// src/io/run_folder.ts (atomic writes, run-folder guard, CSV, JSON errors, checkpoints).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { TvaeError } from '../src/errors.ts';
import { decodeSafetensors, encodeSafetensors, type Tensor } from '../src/io/safetensors.ts';
import { prepareRunFolder, readCheckpoint, readJson, writeCheckpoint, writeFileAtomic, writeHistoryCsv, writeJson }
  from '../src/io/run_folder.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tvae-safetensors-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sample = (): Record<string, Tensor> => ({
  'enc.w': { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, -2.5, 3e-8, 4, 5, 1e30]) },
  bias: { dtype: 'F64', shape: [3], data: Float64Array.from([Math.PI, -0, 1 / 3]) },
  idx: { dtype: 'U32', shape: [1, 2], data: Uint32Array.from([0, 4294967295]) },
  mask: { dtype: 'U8', shape: [5], data: Uint8Array.from([1, 0, 255, 7, 9]) },
  scalar: { dtype: 'F32', shape: [], data: Float32Array.from([42]) },
  empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
});

const throwsTvae = (fn: () => unknown, re: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof TvaeError && re.test(e.message) ? true : assert.fail(`wrong error: ${e}`));

/** Build a file from a raw header string and data bytes (header padded to 8 unless told not to). */
function build(header: string | object, data: Uint8Array = new Uint8Array(0), declared?: number): Uint8Array {
  let h = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const n = Math.ceil(h.length / 8) * 8;
  const padded = new Uint8Array(n).fill(0x20);
  padded.set(h), h = padded;
  const out = new Uint8Array(8 + n + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declared ?? n), true);
  out.set(h, 8);
  out.set(data, 8 + n);
  return out;
}

test('round trip of several dtypes, shapes and metadata', () => {
  const t = sample();
  const meta = { format: 'tvae', note: 'ünïcode ✓ "quoted"' };
  const d = decodeSafetensors(encodeSafetensors(t, meta));
  assert.deepEqual(d.metadata, meta);
  assert.deepEqual(Object.keys(d.tensors), Object.keys(t));
  for (const [k, v] of Object.entries(t)) {
    assert.equal(d.tensors[k].dtype, v.dtype, k);
    assert.deepEqual(d.tensors[k].shape, v.shape, k);
    assert.equal(d.tensors[k].data.constructor, v.data.constructor, k);
    assert.deepEqual(Array.from(d.tensors[k].data), Array.from(v.data), k);
  }
  assert.ok(Object.is(d.tensors.bias.data[1], -0));
  // a Node Buffer and a misaligned view into a bigger buffer decode to fresh, aligned, exact arrays
  const bytes = encodeSafetensors(t), shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  for (const input of [Buffer.from(bytes), shifted.subarray(3)]) {
    const w = decodeSafetensors(input).tensors['enc.w'].data;
    assert.deepEqual([w.byteOffset, w.buffer.byteLength], [0, 24]);
    assert.deepEqual(w, t['enc.w'].data);
  }
  assert.deepEqual(decodeSafetensors(encodeSafetensors({})), { tensors: {}, metadata: {} });
});

test('byte layout follows the spec', () => {
  const t = sample();
  // a subarray view with a non-zero byteOffset must be written from its own bytes only
  const big = Float32Array.from([9, 9, 7, 8, 9]);
  t.view = { dtype: 'F32', shape: [2], data: big.subarray(2, 4) };
  const bytes = encodeSafetensors(t, { a: 'b' });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  assert.equal(dv.getUint32(4, true), 0);
  assert.equal((8 + n) % 8, 0, 'data section 8-byte aligned');
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  assert.equal(text[0], '{');
  assert.match(text, /^\{.*\} *$/s, 'padding is spaces only');
  const header = JSON.parse(text);
  assert.deepEqual(header.__metadata__, { a: 'b' });
  let expect = 0;
  for (const [k, v] of Object.entries(t)) {
    assert.deepEqual(header[k], { dtype: v.dtype, shape: v.shape, data_offsets: [expect, expect + v.data.byteLength] }, k);
    const raw = bytes.subarray(8 + n + expect, 8 + n + expect + v.data.byteLength);
    assert.deepEqual(raw, new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength), k);
    expect += v.data.byteLength;
  }
  assert.equal(bytes.length, 8 + n + expect, 'no trailing bytes');
  for (let i = 0; i < 9; i++) { // every header length mod 8: aligned, minimal space padding
    const b = encodeSafetensors({ x: t.idx }, { m: 'a'.repeat(i) }), len = Number(new DataView(b.buffer).getBigUint64(0, true));
    const used = new TextDecoder().decode(b.subarray(8, 8 + len)).trimEnd().length;
    assert.ok(len % 8 === 0 && len - used < 8, `header ${used} bytes padded to ${len}`);
  }
});

test('hand-built tiny file with one F32 tensor decodes', () => {
  const header = '{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const data = new Uint8Array(8);
  new DataView(data.buffer).setFloat32(0, 1.5, true);
  new DataView(data.buffer).setFloat32(4, -2, true);
  for (const file of [build(header, data), (() => { // also an unpadded header at an odd length
    const h = new TextEncoder().encode(header), f = new Uint8Array(8 + h.length + 8);
    new DataView(f.buffer).setUint32(0, h.length, true);
    f.set(h, 8); f.set(data, 8 + h.length);
    return f;
  })()]) {
    const d = decodeSafetensors(file);
    assert.deepEqual(d.metadata, {});
    assert.equal(d.tensors.x.dtype, 'F32');
    assert.deepEqual(d.tensors.x.shape, [2]);
    assert.ok(d.tensors.x.data instanceof Float32Array);
    assert.deepEqual(Array.from(d.tensors.x.data), [1.5, -2]);
  }
});

test('encode validates shape, dtype and names', () => {
  throwsTvae(() => encodeSafetensors({ w: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } }), /tensor "w".*12 bytes/);
  throwsTvae(() => encodeSafetensors({ w: { dtype: 'F64', shape: [2], data: new Float32Array(4) } }), /"w".*does not match dtype F64/);
  throwsTvae(() => encodeSafetensors({ w: { dtype: 'F16' as 'F32', shape: [1], data: new Float32Array(1) } }), /unknown dtype "F16"/);
  throwsTvae(() => encodeSafetensors({ w: { dtype: 'F32', shape: [-1], data: new Float32Array(1) } }), /"w".*invalid dimension/);
  throwsTvae(() => encodeSafetensors({ __metadata__: { dtype: 'U8', shape: [0], data: new Uint8Array(0) } }), /invalid.*name/);
});

test('every corruption gives a TvaeError', () => {
  const good = encodeSafetensors(sample(), { k: 'v' });
  const f32 = (begin: number, end: number, shape = [2], dtype = 'F32') => ({ x: { dtype, shape, data_offsets: [begin, end] } });
  const eight = new Uint8Array(8);
  throwsTvae(() => decodeSafetensors(new Uint8Array(0), 'a.st'), /a\.st is too short/);
  throwsTvae(() => decodeSafetensors(good.subarray(0, 7)), /too short/);
  throwsTvae(() => decodeSafetensors(good.subarray(0, 20)), /header length \d+ goes beyond/);
  throwsTvae(() => decodeSafetensors(good.subarray(0, good.length - 1)), /out of range|size mismatch/);
  throwsTvae(() => decodeSafetensors(build({}, eight, 2 ** 40)), /beyond the end/);
  throwsTvae(() => decodeSafetensors(build('{"x": [1,', eight)), /not valid UTF-8 JSON/);
  throwsTvae(() => decodeSafetensors(build('[1,2]')), /must be a JSON object/);
  throwsTvae(() => decodeSafetensors(build(f32(0, 16), eight)), /"x".*out of range/);
  throwsTvae(() => decodeSafetensors(build(f32(0, 8, [3]), eight)), /"x".*needs 12/);
  throwsTvae(() => decodeSafetensors(build(f32(0, 8, [2], 'BF16'), eight)), /"x": unknown dtype "BF16"/);
  throwsTvae(() => decodeSafetensors(build(f32(8, 0), eight)), /data_offsets must be/);
  throwsTvae(() => decodeSafetensors(build(f32(0, 8, [2.5]), eight)), /invalid dimension/);
  throwsTvae(() => decodeSafetensors(build({ x: { dtype: 'U8', shape: [4], data_offsets: [0, 4] },
    y: { dtype: 'U8', shape: [4], data_offsets: [2, 6] } }, eight)), /overlap/);
  throwsTvae(() => decodeSafetensors(build({ x: { dtype: 'U8', shape: [4], data_offsets: [4, 8] } }, eight)), /gap/);
  throwsTvae(() => decodeSafetensors(build(f32(0, 8), new Uint8Array(16))), /size mismatch.*8 bytes.*16/);
  throwsTvae(() => decodeSafetensors(build({ __metadata__: { n: 3 } })), /__metadata__ value "n"/);
  const badUtf8 = build('{"x":1}'); badUtf8[9] = 0xff;
  throwsTvae(() => decodeSafetensors(badUtf8), /not valid UTF-8 JSON/);
});

/** Independent reader: DataView only, no shared code with src/io/safetensors.ts. */
function miniParse(bytes: Uint8Array): Record<string, { dtype: string; shape: number[]; values: number[] }> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8'));
  const out: Record<string, { dtype: string; shape: number[]; values: number[] }> = {};
  const read: Record<string, [number, (o: number) => number]> = {
    F32: [4, (o) => dv.getFloat32(o, true)], F64: [8, (o) => dv.getFloat64(o, true)],
    U32: [4, (o) => dv.getUint32(o, true)], U8: [1, (o) => dv.getUint8(o)],
  };
  for (const [k, v] of Object.entries<{ dtype: string; shape: number[]; data_offsets: number[] }>(header)) {
    if (k === '__metadata__') continue;
    const [size, get] = read[v.dtype];
    const values = [];
    for (let o = 8 + n + v.data_offsets[0]; o < 8 + n + v.data_offsets[1]; o += size) values.push(get(o));
    out[k] = { dtype: v.dtype, shape: v.shape, values };
  }
  return out;
}

const PY = `import json, sys, numpy as np
b = open(sys.argv[1], 'rb').read()
n = int.from_bytes(b[:8], 'little'); h = json.loads(b[8:8 + n]); out = {}
dt = {'F32': '<f4', 'F64': '<f8', 'U32': '<u4', 'U8': 'u1'}
for k, v in h.items():
    if k == '__metadata__': continue
    s, e = v['data_offsets']
    a = np.frombuffer(b[8 + n + s:8 + n + e], dtype=dt[v['dtype']]).reshape(v['shape'])
    out[k] = {'dtype': v['dtype'], 'shape': list(a.shape), 'values': [float(x) for x in a.ravel()]}
print(json.dumps({'meta': h.get('__metadata__', {}), 'tensors': out}))`;

test('files are read identically by an independent parser and by numpy (when available)', () => {
  const t = sample();
  const bytes = encodeSafetensors(t, { who: 'tvae' });
  const expected = Object.fromEntries(Object.entries(t).map(([k, v]) =>
    [k, { dtype: v.dtype, shape: v.shape, values: Array.from(v.data as ArrayLike<number>) }]));
  assert.deepEqual(miniParse(bytes), expected);
  const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
  if (!hasNumpy) return; // the independent DataView parser above already cross-checked the bytes
  const file = path.join(tmp, 'numpy.safetensors');
  fs.writeFileSync(file, bytes);
  const r = spawnSync('python3', ['-c', PY, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const py = JSON.parse(r.stdout);
  assert.deepEqual(py.meta, { who: 'tvae' });
  assert.deepEqual(py.tensors, expected);
});

test('run folder: atomic writes, guard, json, csv', () => {
  const dir = path.join(tmp, 'runs', 'a'); prepareRunFolder(dir, { resume: false });
  assert.ok(fs.statSync(dir).isDirectory());
  prepareRunFolder(dir, { resume: false }); // empty folder is fine
  writeJson(path.join(dir, 'config.json'), { lr: 0.001, layers: [784, 2] });
  assert.equal(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'), '{\n  "lr": 0.001,\n  "layers": [\n    784,\n    2\n  ]\n}\n');
  throwsTvae(() => prepareRunFolder(dir, { resume: false }), /holds a run already.*--out.*--resume/);
  prepareRunFolder(dir, { resume: true });
  assert.deepEqual(readJson(path.join(dir, 'config.json'), 'config'), { lr: 0.001, layers: [784, 2] });
  throwsTvae(() => readJson(path.join(dir, 'nope.json'), 'run config'), /^run config not found: .*nope\.json$/);
  fs.writeFileSync(path.join(dir, 'bad.json'), '{"a": ');
  throwsTvae(() => readJson(path.join(dir, 'bad.json'), 'config'), /config is not valid JSON: .*bad\.json/);
  writeFileAtomic(path.join(dir, 'x.bin'), Uint8Array.from([1, 2, 3]));
  writeFileAtomic(path.join(dir, 'x.bin'), 'over');
  assert.equal(fs.readFileSync(path.join(dir, 'x.bin'), 'utf8'), 'over');
  writeHistoryCsv(path.join(dir, 'history.csv'), [{ epoch: 1, loss: 0.5, note: 'a,b' }, { epoch: 2, loss: 0.25, note: 'ok' }]);
  assert.equal(fs.readFileSync(path.join(dir, 'history.csv'), 'utf8'), 'epoch,loss,note\n1,0.5,"a,b"\n2,0.25,ok\n');
  throwsTvae(() => writeFileAtomic(path.join(dir, 'missing-dir', 'f'), 'x'), /cannot write .*missing-dir/);
  fs.writeFileSync(path.join(tmp, 'file'), '');
  throwsTvae(() => prepareRunFolder(path.join(tmp, 'file'), { resume: true }), /not a directory/);
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.tmp')), [], 'no .tmp files left');
});

test('checkpoints round trip with epoch/step; corrupt ones fail clearly', () => {
  const dir = path.join(tmp, 'ck'); prepareRunFolder(dir, { resume: false });
  const ck = { epoch: 3, step: 1234, tensors: { w: Float32Array.from([1, 2, 3, 4, 5, 6]), b: Float32Array.from([-1, 0.5]) },
    shapes: { w: [2, 3], b: [2] } };
  const p = writeCheckpoint(dir, 'latest', ck, { kind: 'gaussian', epoch: 'ignored' });
  assert.equal(p, path.join(dir, 'latest.safetensors'));
  assert.deepEqual(fs.readdirSync(dir), ['latest.safetensors']);
  const r = readCheckpoint(p);
  assert.deepEqual([r.epoch, r.step], [3, 1234]);
  assert.deepEqual(r.shapes, ck.shapes);
  assert.deepEqual(r.tensors, ck.tensors);
  assert.deepEqual(r.metadata, { kind: 'gaussian', epoch: '3', step: '1234' });
  throwsTvae(() => writeCheckpoint(dir, 'x', { ...ck, shapes: { w: [2, 3] } }, {}), /"b" has no shape/);
  throwsTvae(() => writeCheckpoint(dir, 'x', { ...ck, shapes: { w: [3, 3], b: [2] } }, {}), /tensor "w"/);
  throwsTvae(() => writeCheckpoint(dir, 'x', { ...ck, epoch: 1.5 }, {}), /epoch must be/);
  const bytes = fs.readFileSync(p);
  fs.writeFileSync(path.join(dir, 'cut.safetensors'), bytes.subarray(0, bytes.length - 3));
  throwsTvae(() => readCheckpoint(path.join(dir, 'cut.safetensors')), /checkpoint .*cut\.safetensors/);
  fs.writeFileSync(path.join(dir, 'head.safetensors'), bytes.subarray(0, 30));
  throwsTvae(() => readCheckpoint(path.join(dir, 'head.safetensors')), /head\.safetensors: header length/);
  throwsTvae(() => readCheckpoint(path.join(dir, 'none.safetensors')), /checkpoint not found: .*none/);
  fs.writeFileSync(path.join(dir, 'nostep.safetensors'), encodeSafetensors({}, { epoch: '1' }));
  throwsTvae(() => readCheckpoint(path.join(dir, 'nostep.safetensors')), /no "step"/);
  fs.writeFileSync(path.join(dir, 'u8.safetensors'),
    encodeSafetensors({ m: { dtype: 'U8', shape: [1], data: new Uint8Array(1) } }, { epoch: '1', step: '2' }));
  throwsTvae(() => readCheckpoint(path.join(dir, 'u8.safetensors')), /"m" has dtype U8, expected F32/);
  assert.ok(!fs.readdirSync(dir).some((f) => f.includes('.tmp')), 'no .tmp files left');
});
