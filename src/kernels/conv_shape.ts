// Shapes of 2-D convolution and transposed convolution in PyTorch's conventions (NCHW activations,
// conv weight (Cout, Cin, KH, KW), transposed-conv weight (Cin, Cout, KH, KW), zero padding, no
// dilation or groups), and their output sizes:
//   conv Ho = floor((H + 2p - KH) / s) + 1;  transposed Ho = (H - 1) s - 2p + KH + outputPadding.
// Production code (the CNN's plan, the conv launchers) and the float64 loops of src/ref/conv2d.ts
// share these sizes; the index maps themselves are stated separately on each side.

export interface Conv2dShape {
  N: number; Cin: number; H: number; W: number;
  Cout: number; KH: number; KW: number; stride: number; pad: number;
}

export interface ConvT2dShape extends Conv2dShape {
  /** extra rows/columns at the bottom/right of the output, 0 <= outputPadding < stride */
  outputPadding: number;
}

export const convOutputSize = (n: number, k: number, s: number, p: number): number => Math.floor((n + 2 * p - k) / s) + 1;
export const convTransposeOutputSize = (n: number, k: number, s: number, p: number, op: number): number => (n - 1) * s - 2 * p + k + op;

export function convOut(s: Conv2dShape): { Ho: number; Wo: number } {
  return { Ho: convOutputSize(s.H, s.KH, s.stride, s.pad), Wo: convOutputSize(s.W, s.KW, s.stride, s.pad) };
}

export function convTOut(s: ConvT2dShape): { Ho: number; Wo: number } {
  return { Ho: convTransposeOutputSize(s.H, s.KH, s.stride, s.pad, s.outputPadding), Wo: convTransposeOutputSize(s.W, s.KW, s.stride, s.pad, s.outputPadding) };
}
