// Launchers of the convolution kernels for a conv layer and a transposed-conv layer (NHWC,
// shaders/conv2d_fwd.wgsl, conv2d_bwd_data.wgsl, conv2d_bwd_weight.wgsl). The transposed conv is
// the conv's adjoint, so its forward runs conv2d_bwd_data, its backward to the input conv2d_fwd,
// and its weight gradient conv2d_bwd_weight with the roles of the two images swapped.
// Each launcher validates the layer (src/kernels/conv_plan.ts) and the matrices it is given, then
// builds pipeline, uniforms and bind group once; the returned dispatches are only encoded later.
// Matrices: an image is (N*H*W rows, C cols) (pixels x channels); a weight is (Cout, KH*KW*ceil4(Cin))
// for a conv and (Cin, KH*KW*ceil4(Cout)) for a transposed conv, rows allocated padded to 4
// (src/kernels/conv_layout.ts converts PyTorch layouts); a bias is (1, C).
// The passes themselves are kernel families (conv_family.ts): which variant runs is the kernel
// table's choice for the pass's geometry (tuned, forced, or recorded by the run).
import { fail } from '../errors.ts';
import type { Dispatch, GpuContext } from '../gpu/context.ts';
import { allocMatrix, ceil4, type GpuMatrix } from '../gpu/matrix.ts';
import { convBwdData, convBwdWeight, convFwd, type Leaky } from './conv_family.ts';
import { planConv2d, planConvTranspose2d, weightCols, type Conv2dShape, type ConvGeometry, type ConvT2dShape } from './conv_plan.ts';

export type { Leaky };

function requireMatrix(label: string, what: string, m: GpuMatrix, rows: number, cols: number, weight = false): void {
  if (m.rows !== rows || m.cols !== cols) fail(`${label}: ${what} ${m.label} is ${m.rows}x${m.cols} but the layer needs ${rows}x${cols}`);
  if (weight && m.allocRows !== ceil4(rows)) fail(`${label}: weight ${m.label} must be allocated with rows padded to 4 (rows ${rows}, allocated ${m.allocRows})`);
}

function requireSlope(label: string, l: Leaky | undefined): void {
  if (l && !Number.isFinite(l.slope)) fail(`${label}: LeakyReLU slope must be finite, got ${l.slope}`);
}

const bigRows = (g: ConvGeometry) => g.N * g.Hb * g.Wb;
const smallRows = (g: ConvGeometry) => g.N * g.Hs * g.Ws;

/** A conv layer: y = LeakyReLU?(conv(x, w) + b); backward to x (optionally ⊙ LeakyReLU'(act) of x's producer); dw, db. */
export interface Conv2dLayer {
  geometry: ConvGeometry;
  forward(a: { x: GpuMatrix; w: GpuMatrix; b: GpuMatrix; y: GpuMatrix; leaky?: Leaky }): Dispatch;
  backwardData(a: { dy: GpuMatrix; w: GpuMatrix; dx: GpuMatrix; mask?: { act: GpuMatrix; slope: number } }): Dispatch;
  backwardWeight(a: { dy: GpuMatrix; x: GpuMatrix; dw: GpuMatrix; db: GpuMatrix }): Dispatch[];
}

/** Validates the layer once (nothing allocated or dispatched when it does not fit); `splits` overrides the weight-gradient split. */
export function conv2dLayer(ctx: GpuContext, shape: Conv2dShape, splits?: number): Conv2dLayer {
  const g = planConv2d(shape, ctx.device.limits, splits);
  const L = g.label;
  const inRows = bigRows(g), outRows = smallRows(g), wc = weightCols(g);
  return {
    geometry: g,
    forward(a) {
      requireMatrix(L, 'input', a.x, inRows, g.Cb);
      requireMatrix(L, 'weight', a.w, g.Cs, wc, true);
      requireMatrix(L, 'bias', a.b, 1, g.Cs);
      requireMatrix(L, 'output', a.y, outRows, g.Cs);
      requireSlope(L, a.leaky);
      return convFwd(ctx, { g, big: a.x, w: a.w, b: a.b, out: a.y, leaky: a.leaky }, `${L}.forward`);
    },
    backwardData(a) {
      requireMatrix(L, 'output gradient', a.dy, outRows, g.Cs);
      requireMatrix(L, 'weight', a.w, g.Cs, wc, true);
      requireMatrix(L, 'input gradient', a.dx, inRows, g.Cb);
      if (a.mask) requireMatrix(L, 'mask', a.mask.act, inRows, g.Cb);
      requireSlope(L, a.mask);
      return convBwdData(ctx, { g, small: a.dy, w: a.w, out: a.dx, mask: a.mask }, `${L}.backwardData`);
    },
    backwardWeight(a) {
      requireMatrix(L, 'output gradient', a.dy, outRows, g.Cs);
      requireMatrix(L, 'input', a.x, inRows, g.Cb);
      requireMatrix(L, 'weight gradient', a.dw, g.Cs, wc, true);
      requireMatrix(L, 'bias gradient', a.db, 1, g.Cs);
      return [convBwdWeight(ctx, { g, small: a.dy, big: a.x, dw: a.dw, db: a.db, sum: a.dy }, `${L}.backwardWeight`)];
    },
  };
}

/** A transposed-conv layer (the decoder's upsampling): same three passes; output size in conv_plan.ts. */
export type ConvTranspose2dLayer = Conv2dLayer;

export function convTranspose2dLayer(ctx: GpuContext, shape: ConvT2dShape, splits?: number): ConvTranspose2dLayer {
  const g = planConvTranspose2d(shape, ctx.device.limits, splits);
  const L = g.label;
  const inRows = smallRows(g), outRows = bigRows(g), wc = weightCols(g);
  let zeros: GpuMatrix | undefined; // the bias of the backward-to-input pass, made on first use
  return {
    geometry: g,
    forward(a) {
      requireMatrix(L, 'input', a.x, inRows, g.Cs);
      requireMatrix(L, 'weight', a.w, g.Cs, wc, true);
      requireMatrix(L, 'bias', a.b, 1, g.Cb);
      requireMatrix(L, 'output', a.y, outRows, g.Cb);
      requireSlope(L, a.leaky);
      return convBwdData(ctx, { g, small: a.x, w: a.w, out: a.y, b: a.b, leaky: a.leaky }, `${L}.forward`);
    },
    backwardData(a) {
      requireMatrix(L, 'output gradient', a.dy, outRows, g.Cb);
      requireMatrix(L, 'weight', a.w, g.Cs, wc, true);
      requireMatrix(L, 'input gradient', a.dx, inRows, g.Cs);
      if (a.mask) requireMatrix(L, 'mask', a.mask.act, inRows, g.Cs);
      requireSlope(L, a.mask);
      zeros ??= allocMatrix(ctx, 1, g.Cs, `${L}.zeroBias`);
      return convFwd(ctx, { g, big: a.dy, w: a.w, b: zeros, out: a.dx, mask: a.mask }, `${L}.backwardData`);
    },
    backwardWeight(a) {
      requireMatrix(L, 'output gradient', a.dy, outRows, g.Cb);
      requireMatrix(L, 'input', a.x, inRows, g.Cs);
      requireMatrix(L, 'weight gradient', a.dw, g.Cs, wc, true);
      requireMatrix(L, 'bias gradient', a.db, 1, g.Cb);
      return [convBwdWeight(ctx, { g, small: a.x, big: a.dy, dw: a.dw, db: a.db, sum: a.dy }, `${L}.backwardWeight`)];
    },
  };
}
