// Matrices on the GPU. Every row is padded to a multiple of 4 floats (`ld`) so kernels can read
// and write whole vec4s with no tail cases; padding entries hold 0 and the kernels keep them 0.
import { fail } from '../errors.ts';
import type { GpuContext } from './context.ts';

export const ceil4 = (n: number): number => Math.ceil(n / 4) * 4;

export interface GpuMatrix {
  label: string;
  buffer: GPUBuffer;
  /** byte offset of row 0 in `buffer` (a multiple of 256 so it can be bound on its own) */
  offset: number;
  rows: number;
  cols: number;
  /** row stride in floats: ceil4(cols) */
  ld: number;
  /** rows allocated: `rows`, or ceil4(rows) for weights, whose padding rows the GEMMs read as vec4 blocks */
  allocRows: number;
}

// a function, not a constant: GPUBufferUsage exists only once a WebGPU runtime is loaded
const storageUsage = (): number => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** Creates a buffer after checking it against the device's limits, naming the offending size. */
export function createBuffer(ctx: GpuContext, bytes: number, label: string, usage: number = storageUsage()): GPUBuffer {
  const lim = ctx.device.limits;
  if (!Number.isSafeInteger(bytes) || bytes < 0) fail(`buffer "${label}": invalid size ${bytes} bytes`);
  if (bytes > lim.maxBufferSize) {
    fail(`buffer "${label}" needs ${bytes} bytes but this device allows at most ${lim.maxBufferSize} (maxBufferSize)`);
  }
  if (usage & GPUBufferUsage.STORAGE && bytes > lim.maxStorageBufferBindingSize) {
    fail(`buffer "${label}" needs ${bytes} bytes but a storage binding may be at most ${lim.maxStorageBufferBindingSize} (maxStorageBufferBindingSize)`);
  }
  return ctx.device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
}

export function matrixBytes(rows: number, cols: number): number {
  return rows * ceil4(cols) * 4;
}

export function allocMatrix(ctx: GpuContext, rows: number, cols: number, label: string, padRowsTo4 = false): GpuMatrix {
  const allocRows = padRowsTo4 ? ceil4(rows) : rows;
  const buffer = createBuffer(ctx, matrixBytes(allocRows, cols), label);
  return { label, buffer, offset: 0, rows, cols, ld: ceil4(cols), allocRows };
}

export function binding(m: GpuMatrix): GPUBufferBinding {
  return { buffer: m.buffer, offset: m.offset, size: Math.max(16, m.allocRows * m.ld * 4) };
}

/** Pads dense row-major data into the matrix layout. */
export function padRows(dense: ArrayLike<number>, rows: number, cols: number): Float32Array {
  if (dense.length !== rows * cols) fail(`expected ${rows}x${cols}=${rows * cols} values, got ${dense.length}`);
  const ld = ceil4(cols);
  const out = new Float32Array(rows * ld);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * ld + c] = dense[r * cols + c];
  return out;
}

export function unpadRows(padded: Float32Array, rows: number, cols: number): Float32Array {
  const ld = ceil4(cols);
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) out.set(padded.subarray(r * ld, r * ld + cols), r * cols);
  return out;
}

export function writeMatrix(ctx: GpuContext, m: GpuMatrix, dense: ArrayLike<number>): void {
  const data = padRows(dense, m.rows, m.cols);
  ctx.device.queue.writeBuffer(m.buffer, m.offset, data);
}

export async function readBytes(ctx: GpuContext, buffer: GPUBuffer, offset: number, size: number): Promise<ArrayBuffer> {
  const staging = ctx.device.createBuffer({ size, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = ctx.device.createCommandEncoder();
  enc.copyBufferToBuffer(buffer, offset, staging, 0, size);
  ctx.device.queue.submit([enc.finish()]);
  await ctx.settle(staging.mapAsync(GPUMapMode.READ));
  const copy = staging.getMappedRange().slice(0);
  staging.destroy();
  return copy;
}

/** Reads the matrix back; `padded: true` keeps padding (and padding rows) so tests can check it stays 0. */
export async function readMatrix(ctx: GpuContext, m: GpuMatrix, padded = false): Promise<Float32Array> {
  const raw = new Float32Array(await readBytes(ctx, m.buffer, m.offset, (padded ? m.allocRows : m.rows) * m.ld * 4));
  return padded ? raw : unpadRows(raw, m.rows, m.cols);
}

export function createUniform(ctx: GpuContext, label: string, fields: ReadonlyArray<['u32' | 'f32', number]>): GPUBuffer {
  // WGSL structs of u32/f32 scalars: 4-byte fields in declaration order, size rounded to 16.
  const buf = new ArrayBuffer(Math.max(16, Math.ceil((fields.length * 4) / 16) * 16));
  const view = new DataView(buf);
  fields.forEach(([kind, v], i) => (kind === 'u32' ? view.setUint32(i * 4, v, true) : view.setFloat32(i * 4, v, true)));
  const u = createBuffer(ctx, buf.byteLength, label, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
  ctx.device.queue.writeBuffer(u, 0, buf);
  return u;
}
