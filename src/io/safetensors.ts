// Safetensors encoder/decoder in plain TypeScript (no Node APIs, runs in the page too).
// Layout: u64 little-endian header length N, N bytes of UTF-8 JSON header (space-padded so the
// data section starts 8-byte aligned), then the raw little-endian tensor bytes; data_offsets
// are relative to the start of the data section. Decoding validates everything and returns copies.
import { fail } from '../errors.ts';

export type Dtype = 'F32' | 'F64' | 'U32' | 'U8';
export type TensorData = Float32Array | Float64Array | Uint32Array | Uint8Array;
export interface Tensor {
  dtype: Dtype;
  shape: number[];
  data: TensorData;
}
export interface DecodedSafetensors {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

const ITEM_SIZE: Record<Dtype, number> = { F32: 4, F64: 8, U32: 4, U8: 1 };
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function isDtype(d: unknown): d is Dtype {
  return typeof d === 'string' && Object.prototype.hasOwnProperty.call(ITEM_SIZE, d);
}

function matchesDtype(dtype: Dtype, data: unknown): boolean {
  switch (dtype) {
    case 'F32': return data instanceof Float32Array;
    case 'F64': return data instanceof Float64Array;
    case 'U32': return data instanceof Uint32Array;
    case 'U8': return data instanceof Uint8Array;
  }
}

/** Number of elements of `shape`, or an error naming `what` when the shape is not valid. */
function shapeSize(shape: unknown, what: string): number {
  if (!Array.isArray(shape)) fail(`${what}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) fail(`${what}: shape ${JSON.stringify(shape)} has invalid dimension ${JSON.stringify(d)}`);
    n *= d;
    if (!Number.isSafeInteger(n)) fail(`${what}: shape ${JSON.stringify(shape)} is too large`);
  }
  return n;
}

/** Reverse the byte order of each `size`-byte element in place (only used on big-endian hosts). */
function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') fail(`safetensors metadata "${k}" must be a string, got ${typeof v}`);
    }
    header.__metadata__ = { ...metadata };
  }
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const what = `tensor "${name}"`;
    if (name === '' || name === '__metadata__') fail(`invalid safetensors tensor name ${JSON.stringify(name)}`);
    if (!isDtype(t.dtype)) fail(`${what}: unknown dtype ${JSON.stringify(t.dtype)} (expected F32, F64, U32 or U8)`);
    if (!matchesDtype(t.dtype, t.data)) fail(`${what}: data is a ${t.data?.constructor?.name ?? typeof t.data}, which does not match dtype ${t.dtype}`);
    const expected = shapeSize(t.shape, what) * ITEM_SIZE[t.dtype];
    if (expected !== t.data.byteLength) {
      fail(`${what}: shape ${JSON.stringify(t.shape)} x ${ITEM_SIZE[t.dtype]} bytes = ${expected} bytes, but data has ${t.data.byteLength} bytes`);
    }
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    chunks.push(bytes);
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + expected] };
    offset += expected;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil((8 + json.length) / 8) * 8 - 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, padded, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let pos = 8 + padded;
  let i = 0;
  for (const t of Object.values(tensors)) {
    out.set(chunks[i], pos);
    if (!LITTLE_ENDIAN) swapBytes(out.subarray(pos, pos + chunks[i].length), ITEM_SIZE[t.dtype]);
    pos += chunks[i++].length;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function decodeSafetensors(bytes: Uint8Array, name = 'safetensors file'): DecodedSafetensors {
  if (bytes.length < 8) fail(`${name} is too short (${bytes.length} bytes; a safetensors file needs at least 8)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true), hi = view.getUint32(4, true);
  const headerLen = hi * 2 ** 32 + lo;
  if (8 + headerLen > bytes.length) {
    fail(`${name}: header length ${headerLen} goes beyond the end of the file (${bytes.length} bytes); the file is truncated or not safetensors`);
  }
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
    header = JSON.parse(text);
  } catch (e) {
    fail(`${name}: header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(header)) fail(`${name}: header must be a JSON object`);
  const metadata: Record<string, string> = {};
  const meta = header.__metadata__;
  if (meta !== undefined) {
    if (!isPlainObject(meta)) fail(`${name}: __metadata__ must be an object of strings`);
    for (const [k, v] of Object.entries(meta)) {
      if (typeof v !== 'string') fail(`${name}: __metadata__ value "${k}" must be a string, got ${JSON.stringify(v)}`);
      metadata[k] = v;
    }
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const entries: { key: string; dtype: Dtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [key, info] of Object.entries(header)) {
    if (key === '__metadata__') continue;
    const what = `${name}: tensor "${key}"`;
    if (!isPlainObject(info)) fail(`${what}: entry must be an object`);
    if (!isDtype(info.dtype)) fail(`${what}: unknown dtype ${JSON.stringify(info.dtype)} (supported: F32, F64, U32, U8)`);
    const n = shapeSize(info.shape, what);
    const offs = info.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0) || offs[0] > offs[1]) {
      fail(`${what}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offs)}`);
    }
    const [begin, end] = offs as number[];
    if (end > dataLen) fail(`${what}: data_offsets [${begin}, ${end}] are out of range (data section has ${dataLen} bytes)`);
    const size = n * ITEM_SIZE[info.dtype];
    if (end - begin !== size) {
      fail(`${what}: data_offsets [${begin}, ${end}] span ${end - begin} bytes but shape ${JSON.stringify(info.shape)} of ${info.dtype} needs ${size}`);
    }
    entries.push({ key, dtype: info.dtype, shape: [...(info.shape as number[])], begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of sorted) {
    if (e.begin < covered) fail(`${name}: tensor "${e.key}" data_offsets [${e.begin}, ${e.end}] overlap another tensor`);
    if (e.begin > covered) fail(`${name}: gap in the data section before tensor "${e.key}" (bytes ${covered}..${e.begin} are unused)`);
    covered = e.end;
  }
  if (covered !== dataLen) fail(`${name}: data section size mismatch: header describes ${covered} bytes, file holds ${dataLen}`);
  const tensors: Record<string, Tensor> = {};
  for (const e of entries) {
    // explicit copy: Buffer.prototype.slice returns a view, not a copy
    const copy = new Uint8Array(e.end - e.begin);
    copy.set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    if (!LITTLE_ENDIAN) swapBytes(copy, ITEM_SIZE[e.dtype]);
    const buf = copy.buffer;
    const data = e.dtype === 'F32' ? new Float32Array(buf) : e.dtype === 'F64' ? new Float64Array(buf)
      : e.dtype === 'U32' ? new Uint32Array(buf) : new Uint8Array(buf);
    tensors[e.key] = { dtype: e.dtype, shape: e.shape, data };
  }
  return { tensors, metadata };
}
