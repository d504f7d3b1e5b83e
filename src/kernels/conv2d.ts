// Launchers of the convolution kernels for a conv layer and a transposed-conv layer (NHWC,
// shaders/conv2d_fwd.wgsl, conv2d_bwd_data.wgsl, conv2d_bwd_weight.wgsl). The transposed conv is
// the conv's adjoint, so its forward runs conv2d_bwd_data, its backward to the input conv2d_fwd,
// and its weight gradient conv2d_bwd_weight with the roles of the two images swapped.
// Each launcher validates the layer (src/kernels/conv_plan.ts) and the matrices it is given, then
// builds pipeline, uniforms and bind group once; the returned dispatches are only encoded later.
// Matrices: an image is (N*H*W rows, C cols) (pixels x channels); a weight is (Cout, KH*KW*ceil4(Cin))
// for a conv and (Cin, KH*KW*ceil4(Cout)) for a transposed conv, rows allocated padded to 4
// (src/kernels/conv_layout.ts converts PyTorch layouts); a bias is (1, C).
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, ceil4, createBuffer, createUniform, type GpuMatrix } from '../gpu/matrix.ts';
import {
  linearGrid, planConv2d, planConvTranspose2d, requireWorkgroups, weightCols, weightVec4s,
  type Conv2dShape, type ConvGeometry, type ConvT2dShape,
} from './conv_plan.ts';

/** LeakyReLU slope, for an activation fused into the output or a mask applied to a gradient */
export interface Leaky { slope: number }

function requireMatrix(label: string, what: string, m: GpuMatrix, rows: number, cols: number, weight = false): void {
  if (m.rows !== rows || m.cols !== cols) fail(`${label}: ${what} ${m.label} is ${m.rows}x${m.cols} but the layer needs ${rows}x${cols}`);
  if (weight && m.allocRows !== ceil4(rows)) fail(`${label}: weight ${m.label} must be allocated with rows padded to 4 (rows ${rows}, allocated ${m.allocRows})`);
}

function requireSlope(label: string, l: Leaky | undefined): void {
  if (l && !Number.isFinite(l.slope)) fail(`${label}: LeakyReLU slope must be finite, got ${l.slope}`);
}

const bigRows = (g: ConvGeometry) => g.N * g.Hb * g.Wb;
const smallRows = (g: ConvGeometry) => g.N * g.Hs * g.Ws;
const vec4s = (c: number) => ceil4(c) / 4;

/** small[q, cs] = sum big[q*s-p+k, cb] w[cs, k, cb] + b, then LeakyReLU(leaky) and ⊙ LeakyReLU'(mask) */
function gatherBig(ctx: GpuContext, g: ConvGeometry, a: { big: GpuMatrix; w: GpuMatrix; b: GPUBufferBinding; out: GpuMatrix; leaky?: Leaky; mask?: { act: GpuMatrix; slope: number } }, label: string): Dispatch {
  const M = smallRows(g);
  const slope = a.leaky?.slope ?? a.mask?.slope ?? 0.01;
  const pipeline = ctx.pipeline('conv2d_fwd', 'main', { LEAKY: a.leaky ? 1 : 0, MASK: a.mask ? 1 : 0, SLOPE: slope });
  const u = createUniform(ctx, `${label}.geo`, [
    ['u32', g.Hb], ['u32', g.Wb], ['u32', vec4s(g.Cb)], ['u32', M],
    ['u32', g.Hs], ['u32', g.Ws], ['u32', vec4s(g.Cs)], ['u32', g.KW],
    ['u32', g.KH], ['u32', g.stride], ['u32', g.pad], ['u32', 0],
  ]);
  const mask = a.mask ? binding(a.mask.act) : binding(a.big);
  return {
    label, pipeline,
    bindGroup: bindGroup(ctx, pipeline, [{ buffer: u }, binding(a.big), binding(a.w), a.b, binding(a.out), mask], label),
    workgroups: linearGrid(label, Math.ceil(M / 4) * vec4s(g.Cs), ctx.device.limits),
  };
}

/** big[P, cb] = sum over (q, k) with P = q*s-p+k of small[q, cs] w[cs, k, cb] (+ b, LeakyReLU) (⊙ LeakyReLU'(mask)) */
function gatherSmall(ctx: GpuContext, g: ConvGeometry, a: { small: GpuMatrix; w: GpuMatrix; out: GpuMatrix; b?: GpuMatrix; leaky?: Leaky; mask?: { act: GpuMatrix; slope: number } }, label: string): Dispatch {
  const nb = Math.ceil(Math.ceil(g.Wb / g.stride) / 4);
  const slope = a.leaky?.slope ?? a.mask?.slope ?? 0.01;
  const pipeline = ctx.pipeline('conv2d_bwd_data', 'main', { MASK: a.mask ? 1 : 0, BIAS: a.b ? 1 : 0, LEAKY: a.leaky ? 1 : 0, SLOPE: slope });
  const u = createUniform(ctx, `${label}.geo`, [
    ['u32', g.Hb], ['u32', g.Wb], ['u32', vec4s(g.Cb)], ['u32', g.N * g.Hb],
    ['u32', g.Hs], ['u32', g.Ws], ['u32', vec4s(g.Cs)], ['u32', g.KW],
    ['u32', g.KH], ['u32', g.stride], ['u32', g.pad], ['u32', nb],
  ]);
  // unused slots are filled with the read-only input (the shader reads them only when enabled)
  const act = a.mask ? binding(a.mask.act) : binding(a.small);
  const b = a.b ? binding(a.b) : binding(a.small);
  return {
    label, pipeline,
    bindGroup: bindGroup(ctx, pipeline, [{ buffer: u }, binding(a.small), binding(a.w), act, b, binding(a.out)], label),
    workgroups: linearGrid(label, g.N * g.Hb * g.stride * nb * vec4s(g.Cb), ctx.device.limits),
  };
}

/** dw[cs, k, cb] = sum_q small[q, cs] big[q*s-p+k, cb]; db = column sums of `sum` (rows x b4). */
function weightGrad(ctx: GpuContext, g: ConvGeometry, a: { small: GpuMatrix; big: GpuMatrix; dw: GpuMatrix; db: GpuMatrix; sum: GpuMatrix }, label: string): Dispatch[] {
  const wv = weightVec4s(g);
  const b4 = vec4s(a.sum.cols);
  const rowsB = a.sum.rows;
  const chunkB = Math.ceil(rowsB / g.S);
  const u = createUniform(ctx, `${label}.geo`, [
    ['u32', g.Hb], ['u32', g.Wb], ['u32', vec4s(g.Cb)], ['u32', smallRows(g)],
    ['u32', g.Hs], ['u32', g.Ws], ['u32', vec4s(g.Cs)], ['u32', g.KW],
    ['u32', g.KH], ['u32', g.stride], ['u32', g.pad], ['u32', g.chunk],
    ['u32', b4], ['u32', rowsB], ['u32', chunkB], ['u32', g.S],
  ]);
  const items = wv / 4 + b4;
  const lim = ctx.device.limits;
  requireWorkgroups(label, 'the weight gradient', Math.ceil(items / 64), lim);
  const partial = ctx.pipeline('conv2d_bwd_weight', 'partial');
  const direct = g.S === 1;
  const partW = direct ? binding(a.dw) : { buffer: createBuffer(ctx, g.S * wv * 16, `${label}.partW`) };
  const partB = direct ? binding(a.db) : { buffer: createBuffer(ctx, g.S * b4 * 16, `${label}.partB`) };
  const out: Dispatch[] = [{
    label: `${label}.partial`, pipeline: partial,
    bindGroup: bindGroup(ctx, partial, { 0: { buffer: u }, 1: binding(a.big), 2: binding(a.small), 3: binding(a.sum), 4: partW, 5: partB }, label),
    workgroups: [Math.ceil(items / 64), g.S, 1],
  }];
  if (!direct) {
    const reduce = ctx.pipeline('conv2d_bwd_weight', 'reduce');
    out.push({
      label: `${label}.reduce`, pipeline: reduce,
      bindGroup: bindGroup(ctx, reduce, { 0: { buffer: u }, 6: partW, 7: partB, 8: binding(a.dw), 9: binding(a.db) }, label),
      workgroups: linearGrid(label, wv + b4, lim),
    });
  }
  return out;
}

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
      return gatherBig(ctx, g, { big: a.x, w: a.w, b: binding(a.b), out: a.y, leaky: a.leaky }, `${L}.forward`);
    },
    backwardData(a) {
      requireMatrix(L, 'output gradient', a.dy, outRows, g.Cs);
      requireMatrix(L, 'weight', a.w, g.Cs, wc, true);
      requireMatrix(L, 'input gradient', a.dx, inRows, g.Cb);
      if (a.mask) requireMatrix(L, 'mask', a.mask.act, inRows, g.Cb);
      requireSlope(L, a.mask);
      return gatherSmall(ctx, g, { small: a.dy, w: a.w, out: a.dx, mask: a.mask }, `${L}.backwardData`);
    },
    backwardWeight(a) {
      requireMatrix(L, 'output gradient', a.dy, outRows, g.Cs);
      requireMatrix(L, 'input', a.x, inRows, g.Cb);
      requireMatrix(L, 'weight gradient', a.dw, g.Cs, wc, true);
      requireMatrix(L, 'bias gradient', a.db, 1, g.Cs);
      return weightGrad(ctx, g, { small: a.dy, big: a.x, dw: a.dw, db: a.db, sum: a.dy }, `${L}.backwardWeight`);
    },
  };
}

/** A transposed-conv layer (the decoder's upsampling): same three passes; output size in conv_plan.ts. */
export type ConvTranspose2dLayer = Conv2dLayer;

export function convTranspose2dLayer(ctx: GpuContext, shape: ConvT2dShape, splits?: number): ConvTranspose2dLayer {
  const g = planConvTranspose2d(shape, ctx.device.limits, splits);
  const L = g.label;
  const inRows = smallRows(g), outRows = bigRows(g), wc = weightCols(g);
  let zeros: GPUBufferBinding | undefined; // the bias of the backward-to-input pass, made on first use
  return {
    geometry: g,
    forward(a) {
      requireMatrix(L, 'input', a.x, inRows, g.Cs);
      requireMatrix(L, 'weight', a.w, g.Cs, wc, true);
      requireMatrix(L, 'bias', a.b, 1, g.Cb);
      requireMatrix(L, 'output', a.y, outRows, g.Cb);
      requireSlope(L, a.leaky);
      return gatherSmall(ctx, g, { small: a.x, w: a.w, out: a.y, b: a.b, leaky: a.leaky }, `${L}.forward`);
    },
    backwardData(a) {
      requireMatrix(L, 'output gradient', a.dy, outRows, g.Cb);
      requireMatrix(L, 'weight', a.w, g.Cs, wc, true);
      requireMatrix(L, 'input gradient', a.dx, inRows, g.Cs);
      if (a.mask) requireMatrix(L, 'mask', a.mask.act, inRows, g.Cs);
      requireSlope(L, a.mask);
      zeros ??= { buffer: createBuffer(ctx, ceil4(g.Cs) * 4, `${L}.zeroBias`) };
      return gatherBig(ctx, g, { big: a.dy, w: a.w, b: zeros, out: a.dx, mask: a.mask }, `${L}.backwardData`);
    },
    backwardWeight(a) {
      requireMatrix(L, 'output gradient', a.dy, outRows, g.Cb);
      requireMatrix(L, 'input', a.x, inRows, g.Cs);
      requireMatrix(L, 'weight gradient', a.dw, g.Cs, wc, true);
      requireMatrix(L, 'bias gradient', a.db, 1, g.Cb);
      return weightGrad(ctx, g, { small: a.x, big: a.dy, dw: a.dw, db: a.db, sum: a.dy }, `${L}.backwardWeight`);
    },
  };
}
