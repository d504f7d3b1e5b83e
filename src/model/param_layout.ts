// Where each layer's weights and biases live in the one parameter block (and the gradient block,
// which has the same layout). One allocation lets the optimizer update every layer in one dispatch;
// each tensor starts on a 256-byte boundary so it can also be bound on its own.
import { ceil4, type GpuMatrix } from '../gpu/matrix.ts';
import { fail } from '../errors.ts';

export interface LayerSpec {
  in: number;
  out: number;
  relu: boolean;
  /** length of b when it is not `out`: a transposed conv's bias has one value per output channel
   *  while its weight has one row per input channel; a batch-norm slot keeps (gamma, beta) or
   *  (running mean, running variance) as its (w, b) */
  bias?: number;
}

const biasLength = (s: LayerSpec): number => s.bias ?? s.out;

export interface LayerSlot extends LayerSpec {
  /** byte offset of W (ceil4(out) rows x ceil4(in) floats) */
  wOffset: number;
  /** byte offset of b (ceil4(out) floats) */
  bOffset: number;
}

export interface ParamLayout {
  layers: LayerSlot[];
  /** a parameter vector that belongs to no layer (a likelihood's learned log-variances), if any */
  extra?: { offset: number; count: number };
  /** total bytes, a multiple of 16 */
  bytes: number;
}

const align256 = (n: number): number => Math.ceil(n / 256) * 256;

export function paramLayout(specs: readonly LayerSpec[], extraCount = 0): ParamLayout {
  let at = 0;
  const layers = specs.map((s) => {
    const wOffset = at;
    at = align256(at + ceil4(s.out) * ceil4(s.in) * 4);
    const bOffset = at;
    at = align256(at + ceil4(biasLength(s)) * 4);
    return { ...s, wOffset, bOffset };
  });
  if (extraCount === 0) return { layers, bytes: at };
  const extra = { offset: at, count: extraCount };
  at = align256(at + ceil4(extraCount) * 4);
  return { layers, extra, bytes: at };
}

/** The extra vector as a (1, count) matrix view inside a block laid out by `paramLayout`. */
export function extraView(buffer: GPUBuffer, layout: ParamLayout, name: string): GpuMatrix | undefined {
  const e = layout.extra;
  if (!e) return undefined;
  return { label: name, buffer, offset: e.offset, rows: 1, cols: e.count, ld: ceil4(e.count), allocRows: 1 };
}

/** The extra vector's values in a packed block (empty when the layout has none). */
export function unpackExtra(layout: ParamLayout, block: Float32Array): Float32Array {
  const e = layout.extra;
  return e ? block.slice(e.offset / 4, e.offset / 4 + e.count) : new Float32Array(0);
}

/** Views of one layer's W (out, in) and b (1, out) inside a block laid out by `paramLayout`. */
export function layerViews(buffer: GPUBuffer, slot: LayerSlot, name: string): { w: GpuMatrix; b: GpuMatrix } {
  return {
    w: { label: `${name}.w`, buffer, offset: slot.wOffset, rows: slot.out, cols: slot.in, ld: ceil4(slot.in), allocRows: ceil4(slot.out) },
    b: { label: `${name}.b`, buffer, offset: slot.bOffset, rows: 1, cols: biasLength(slot), ld: ceil4(biasLength(slot)), allocRows: 1 },
  };
}

export interface DenseValues {
  w: ArrayLike<number>;
  b: ArrayLike<number>;
}

/** Packs dense per-layer values (w: out x in row-major, b: out) into the padded block. */
export function packParams(layout: ParamLayout, values: readonly DenseValues[]): Float32Array {
  if (values.length !== layout.layers.length) fail(`expected ${layout.layers.length} layers of parameters, got ${values.length}`);
  const block = new Float32Array(layout.bytes / 4);
  layout.layers.forEach((s, i) => {
    const { w, b } = values[i];
    if (w.length !== s.out * s.in) fail(`layer ${i}: weights hold ${w.length} values, expected ${s.out}x${s.in}`);
    if (b.length !== biasLength(s)) fail(`layer ${i}: bias holds ${b.length} values, expected ${biasLength(s)}`);
    const ld = ceil4(s.in);
    for (let r = 0; r < s.out; r++) for (let c = 0; c < s.in; c++) block[s.wOffset / 4 + r * ld + c] = w[r * s.in + c];
    for (let r = 0; r < b.length; r++) block[s.bOffset / 4 + r] = b[r];
  });
  return block;
}

export function unpackParams(layout: ParamLayout, block: Float32Array): { w: Float32Array; b: Float32Array }[] {
  return layout.layers.map((s) => {
    const ld = ceil4(s.in);
    const w = new Float32Array(s.out * s.in);
    for (let r = 0; r < s.out; r++) w.set(block.subarray(s.wOffset / 4 + r * ld, s.wOffset / 4 + r * ld + s.in), r * s.in);
    return { w, b: block.slice(s.bOffset / 4, s.bOffset / 4 + biasLength(s)) };
  });
}
