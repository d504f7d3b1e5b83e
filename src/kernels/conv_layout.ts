// Host-side conversions between PyTorch's layouts (the references', and what a checkpoint holds)
// and the GPU's: activations NCHW <-> rows of pixels (N*H*W, C) (NHWC; writeMatrix pads C to 4),
// weights (R, C, KH, KW) <-> the padded matrix (R, KH*KW*ceil4(C)) with zeros in the channel padding.
// R is Cout for a conv weight (Cout, Cin, KH, KW) and Cin for a transposed-conv weight (Cin, Cout, KH, KW).
import { fail } from '../errors.ts';
import { ceil4, type GpuMatrix } from '../gpu/matrix.ts';

export function nchwToRows(x: ArrayLike<number>, N: number, C: number, H: number, W: number): Float32Array {
  const out = new Float32Array(N * H * W * C);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) out[(n * H * W + i) * C + c] = x[(n * C + c) * H * W + i];
  return out;
}

export function rowsToNchw(rows: ArrayLike<number>, N: number, C: number, H: number, W: number): Float64Array {
  const out = new Float64Array(N * C * H * W);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) out[(n * C + c) * H * W + i] = rows[(n * H * W + i) * C + c];
  return out;
}

/** (R, C, KH, KW) -> dense (R, KH*KW*ceil4(C)): per row, tap-major, channels padded with zeros. */
export function weightToGpu(w: ArrayLike<number>, R: number, C: number, KH: number, KW: number): Float32Array {
  const c4 = ceil4(C);
  const out = new Float32Array(R * KH * KW * c4);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) for (let t = 0; t < KH * KW; t++) out[(r * KH * KW + t) * c4 + c] = w[(r * C + c) * KH * KW + t];
  return out;
}

export function weightFromGpu(g: ArrayLike<number>, R: number, C: number, KH: number, KW: number): Float64Array {
  const c4 = ceil4(C);
  const out = new Float64Array(R * C * KH * KW);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) for (let t = 0; t < KH * KW; t++) out[(r * C + c) * KH * KW + t] = g[(r * KH * KW + t) * c4 + c];
  return out;
}

/**
 * The same buffer seen with one row per image: (N*H*W, C) pixels -> (N, H*W*ceil4(C)), the
 * encoder's flatten before a dense layer (and, with `asPixels`, the decoder's reshape after one).
 * Zero-copy because an image's pixel rows are contiguous and ceil4(C) keeps the width a multiple
 * of 4. The flatten order is (h, w, c), not PyTorch's (c, h, w); when C is not a multiple of 4
 * the padding channels become columns that hold 0 (a dense layer's weight columns there get zero
 * gradient, so they stay at their initial value; initialise them to 0).
 */
export function imagesAsRows(m: GpuMatrix, N: number): GpuMatrix {
  if (m.rows % N !== 0) fail(`imagesAsRows: ${m.label} has ${m.rows} pixel rows, not a multiple of ${N} images`);
  const cols = (m.rows / N) * m.ld;
  return { ...m, label: `${m.label}.flat`, rows: N, cols, ld: cols, allocRows: N };
}

/** The inverse view: (N, P*ceil4(C)) -> (N*P, C) for P pixels of C channels per image. */
export function rowsAsPixels(m: GpuMatrix, P: number, C: number): GpuMatrix {
  if (m.cols !== P * ceil4(C) || m.ld !== m.cols) fail(`rowsAsPixels: ${m.label} has ${m.cols} columns (stride ${m.ld}); ${P} pixels of ${C} channels need exactly ${P * ceil4(C)}`);
  return { ...m, label: `${m.label}.pixels`, rows: m.rows * P, cols: C, ld: ceil4(C), allocRows: m.rows * P };
}
