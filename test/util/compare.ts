// GPU-against-reference comparison: |gpu - ref| <= atol + rtol * |ref| element by element, with
// the worst element named when it fails.
import assert from 'node:assert/strict';
import { createRng } from '../../src/rng.ts';

export function assertClose(gpu: ArrayLike<number>, ref: ArrayLike<number>, tol: { atol: number; rtol: number }, what: string): void {
  assert.equal(gpu.length, ref.length, `${what}: length ${gpu.length} vs reference ${ref.length}`);
  let worst = -1, worstExcess = 0;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(gpu[i] - ref[i]);
    const excess = err - (tol.atol + tol.rtol * Math.abs(ref[i]));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(err))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    assert.fail(`${what}: element ${worst} is ${gpu[worst]}, reference ${ref[worst]} (atol ${tol.atol}, rtol ${tol.rtol})`);
  }
}

export function uniformArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r.next());
}

export function normalArray(n: number, seed: number, std = 1): Float32Array {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => std * r.normal());
}

/** Keeps the padded layout's promise: every padding entry of a (rows, cols) matrix is exactly 0. */
export function assertPaddingZero(padded: Float32Array, rows: number, cols: number, what: string): void {
  const ld = Math.ceil(cols / 4) * 4;
  for (let r = 0; r < rows; r++) {
    for (let c = cols; c < ld; c++) assert.equal(padded[r * ld + c], 0, `${what}: padding at row ${r}, column ${c} is ${padded[r * ld + c]}`);
  }
}

export function unpad(padded: Float32Array, rows: number, cols: number): Float32Array {
  const ld = Math.ceil(cols / 4) * 4;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) out.set(padded.subarray(r * ld, r * ld + cols), r * cols);
  return out;
}
