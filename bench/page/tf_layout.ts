// Weight layouts between PyTorch's (what our conversions in src/kernels/conv_layout.ts speak) and
// TensorFlow.js's, for the TF.js peers that start from our weights or are compared with our output.
import type { ConvLayerSpec } from './cnn_layers.ts';

/** PyTorch weight (R, C, KH, KW) -> TF.js filter [KH, KW, C, R]. A conv's PyTorch weight is
 *  (Cout, Cin, ...) and TF.js's conv2d filter [KH, KW, Cin, Cout]; a transposed conv's is
 *  (Cin, Cout, ...) and conv2dTranspose's filter [KH, KW, Cout, Cin]: the same map in both cases. */
export function tfFilter(w: ArrayLike<number>, R: number, C: number, KH: number, KW: number): Float32Array {
  const f = new Float32Array(R * C * KH * KW);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) for (let k = 0; k < KH * KW; k++) f[(k * C + c) * R + r] = w[(r * C + c) * KH * KW + k];
  return f;
}

/** R and C of a layer's PyTorch weight (R, C, KH, KW). */
export function weightDims(l: ConvLayerSpec): [number, number] {
  return l.kind === 'conv' ? [l.shape.Cout, l.shape.Cin] : [l.shape.Cin, l.shape.Cout];
}
