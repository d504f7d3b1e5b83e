// NumPy .npy files (format versions 1.0, 2.0 and 3.0): a 2-D array of little-endian float32 or
// float64, NaN marking a missing value. No installed library reads them, and the header is a tiny
// Python dict literal, so it is parsed here by one strict pattern: anything else is refused with
// what was found (the file is the user's, so every length and field is checked before use).
// Also the writer of a completed array (same dtype, observed values bit for bit).
import { fail } from '../errors.ts';

export interface NpyArray {
  dtype: '<f4' | '<f8';
  rows: number;
  cols: number;
  /** (rows, cols) row-major, in float64 (float32 values widened exactly) */
  data: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const HEADER = /^\{\s*'descr'\s*:\s*'([<|>=]?[a-zA-Z]\d*)'\s*,\s*'fortran_order'\s*:\s*(True|False)\s*,\s*'shape'\s*:\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?,?\s*\)\s*,?\s*\}\s*$/;

export function parseNpy(bytes: Uint8Array, source: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail(`${source}: not a .npy file (no \\x93NUMPY magic)`);
  const major = bytes[6];
  if (major < 1 || major > 3) fail(`${source}: .npy format version ${major}.${bytes[7]} is not known (1, 2 or 3)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail(`${source}: truncated .npy header`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes + headerLen;
  if (start > bytes.length) fail(`${source}: the .npy header claims ${headerLen} bytes but the file has ${bytes.length - 8 - lenBytes} after its preamble`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lenBytes, start));
  const m = HEADER.exec(header.trim());
  if (!m) fail(`${source}: .npy header not understood: ${JSON.stringify(header.trim().slice(0, 120))} (expected a 2-D float array)`);
  const [, descr, fortran, r, c] = m;
  if (descr !== '<f4' && descr !== '<f8') fail(`${source}: .npy element type ${descr} is not supported (little-endian float32 '<f4' or float64 '<f8')`);
  if (c === undefined) fail(`${source}: the array has shape (${r},): a table needs two dimensions (rows, columns)`);
  const rows = Number(r), cols = Number(c);
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 1 || cols < 1) fail(`${source}: the array has shape (${r}, ${c}): it needs at least one row and one column`);
  const size = descr === '<f4' ? 4 : 8;
  const need = rows * cols * size;
  if (bytes.length - start !== need) fail(`${source}: shape (${rows}, ${cols}) of ${descr} needs ${need} bytes of data, the file has ${bytes.length - start}`);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows * cols; i++) {
    const v = size === 4 ? view.getFloat32(start + i * 4, true) : view.getFloat64(start + i * 8, true);
    // Fortran order stores column by column
    const at = fortran === 'True' ? (i % rows) * cols + Math.floor(i / rows) : i;
    data[at] = v;
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isNaN(data[i]) && !Number.isFinite(data[i])) fail(`${source}: row ${Math.floor(i / cols) + 1}, column c${(i % cols) + 1}: infinite value (NaN marks a missing cell; infinity is not a value)`);
  }
  return { dtype: descr, rows, cols, data };
}

/** A C-order .npy (version 1.0) of this dtype. */
export function encodeNpy(a: NpyArray): Uint8Array {
  const dict = `{'descr': '${a.dtype}', 'fortran_order': False, 'shape': (${a.rows}, ${a.cols}), }`;
  // the preamble plus header is padded with spaces to a multiple of 64 and ends with a newline
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const size = a.dtype === '<f4' ? 4 : 8;
  const out = new Uint8Array(total + a.rows * a.cols * size);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  for (let i = 0; i < a.data.length; i++) {
    if (size === 4) view.setFloat32(total + i * 4, a.data[i], true);
    else view.setFloat64(total + i * 8, a.data[i], true);
  }
  return out;
}
