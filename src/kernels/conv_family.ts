// The three conv passes as kernel families (src/tune/family.ts), named after their kernels:
//   conv2d_fwd        small = gather over big (a conv's forward, a transposed conv's backward to x)
//   conv2d_bwd_data   big = gather over small (a conv's backward to x, a transposed conv's forward)
//   conv2d_bwd_weight dw = smallᵀ · taps of big, db = column sums (both layers' weight gradient)
// `base` is the original kernel (shaders/conv2d_*.wgsl), `im2col` the pass as one GEMM of the GEMM
// families plus copies (conv_im2col.ts). A pass's shape is its geometry (conv_plan.ts), so a key is
// `conv2d_fwd|N x Hb x Wb x Cb x Hs x Ws x Cs x KH x KW x stride x pad`; the epilogue (bias,
// LeakyReLU, mask) is not in it: every variant does every epilogue, so one choice serves both.
// Matrices are checked by the layer launchers (conv2d.ts) before a family is asked.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { allocMatrix, binding, ceil4, createBuffer, createUniform, writeMatrix, type GpuMatrix } from '../gpu/matrix.ts';
import { createRng } from '../rng.ts';
import type { DimsShape, Family, Variant } from '../tune/family.ts';
import { chooseVariant } from '../tune/table.ts';
import { linearGrid, planConv2d, requireWorkgroups, weightCols, weightVec4s, type ConvGeometry } from './conv_plan.ts';
import { im2colBwdData, im2colBwdWeight, im2colFwd } from './conv_im2col.ts';

/** LeakyReLU slope, for an activation fused into the output or a mask applied to a gradient */
export interface Leaky { slope: number }
export interface Mask { act: GpuMatrix; slope: number }

/** small = act(gather(big) · w + b) (⊙ LeakyReLU'(mask)); out is small */
export interface FwdArgs { g: ConvGeometry; big: GpuMatrix; w: GpuMatrix; b: GpuMatrix; out: GpuMatrix; leaky?: Leaky; mask?: Mask }
/** big = act(adjoint(small, w) + b?) (⊙ LeakyReLU'(mask)); out is big */
export interface BwdDataArgs { g: ConvGeometry; small: GpuMatrix; w: GpuMatrix; out: GpuMatrix; b?: GpuMatrix; leaky?: Leaky; mask?: Mask }
/** dw = smallᵀ · taps(big), db = column sums of `sum` (small for a conv, big for a transposed conv) */
export interface BwdWeightArgs { g: ConvGeometry; small: GpuMatrix; big: GpuMatrix; dw: GpuMatrix; db: GpuMatrix; sum: GpuMatrix }

export const CONV_DIMS = ['N', 'Hb', 'Wb', 'Cb', 'Hs', 'Ws', 'Cs', 'KH', 'KW', 'stride', 'pad'] as const;
export const convShape = (g: ConvGeometry): DimsShape => ({ dims: [g.N, g.Hb, g.Wb, g.Cb, g.Hs, g.Ws, g.Cs, g.KH, g.KW, g.stride, g.pad] });
const smallRows = (g: ConvGeometry) => g.N * g.Hs * g.Ws;
const bigRows = (g: ConvGeometry) => g.N * g.Hb * g.Wb;
const vec4s = (c: number) => ceil4(c) / 4;

/** The geometry a key's numbers describe: every pairing of big and small is some conv's (for a
 *  transposed conv, big's size fixes the output padding), so the conv planner derives it. */
function geometryOf(ctx: GpuContext, s: DimsShape): ConvGeometry {
  const [N, Hb, Wb, Cb, Hs, Ws, Cs, KH, KW, stride, pad] = s.dims;
  const g = planConv2d({ N, Cin: Cb, H: Hb, W: Wb, Cout: Cs, KH, KW, stride, pad }, ctx.device.limits);
  if (g.Hs !== Hs || g.Ws !== Ws) fail(`conv shape ${s.dims.join('x')}: a ${Hb}x${Wb} image gives ${g.Hs}x${g.Ws}, not ${Hs}x${Ws}`);
  return g;
}

const dims = {
  names: CONV_DIMS,
  shape: (d: readonly number[]): DimsShape => ({ dims: [...d] }),
  /** multiply-adds of the pass: small pixels x small channels x taps x big channels */
  work: (s: DimsShape): number => s.dims[0] * s.dims[4] * s.dims[5] * s.dims[6] * s.dims[7] * s.dims[8] * s.dims[3],
};

/** Seeded probe inputs in [-1, 1), weights with zero channel padding as conv_layout.ts writes them. */
function probeMatrices(ctx: GpuContext, g: ConvGeometry, seed: number) {
  const rng = createRng(seed);
  const made: GpuMatrix[] = [];
  const mat = (rows: number, cols: number, label: string, fill: boolean, weight = false) => {
    const m = allocMatrix(ctx, rows, cols, `tune.${label}`, weight);
    if (fill) writeMatrix(ctx, m, Float32Array.from({ length: rows * cols }, (_, i) => (weight && i % cols % ceil4(g.Cb) >= g.Cb ? 0 : 2 * rng.next() - 1)));
    made.push(m);
    return m;
  };
  const wc = weightCols(g);
  return {
    big: mat(bigRows(g), g.Cb, 'big', true), small: mat(smallRows(g), g.Cs, 'small', true),
    w: mat(g.Cs, wc, 'w', true, true), bs: mat(1, g.Cs, 'bs', true), bb: mat(1, g.Cb, 'bb', true),
    outSmall: mat(smallRows(g), g.Cs, 'outSmall', false), outBig: mat(bigRows(g), g.Cb, 'outBig', false),
    dw: mat(g.Cs, wc, 'dw', false, true), db: mat(1, g.Cs, 'db', false),
    buffers: () => made.map((m) => m.buffer),
  };
}

const always = (): undefined => undefined;

const fwdBase: Variant<FwdArgs, DimsShape> = {
  name: 'base',
  unfit: always,
  build(ctx, a, label) {
    const g = a.g, M = smallRows(g);
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
      bindGroup: bindGroup(ctx, pipeline, [{ buffer: u }, binding(a.big), binding(a.w), binding(a.b), binding(a.out), mask], label),
      workgroups: linearGrid(label, Math.ceil(M / 4) * vec4s(g.Cs), ctx.device.limits),
    };
  },
};

const bwdDataBase: Variant<BwdDataArgs, DimsShape> = {
  name: 'base',
  unfit: always,
  build(ctx, a, label) {
    const g = a.g;
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
  },
};

/** The split partial sums, then (more than one split) the reduction, as one dispatch with `pre`. */
const bwdWeightBase: Variant<BwdWeightArgs, DimsShape> = {
  name: 'base',
  unfit: always,
  build(ctx, a, label) {
    const g = a.g;
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
    const first: Dispatch = {
      label: `${label}.partial`, pipeline: partial,
      bindGroup: bindGroup(ctx, partial, { 0: { buffer: u }, 1: binding(a.big), 2: binding(a.small), 3: binding(a.sum), 4: partW, 5: partB }, label),
      workgroups: [Math.ceil(items / 64), g.S, 1],
    };
    if (direct) return first;
    const reduce = ctx.pipeline('conv2d_bwd_weight', 'reduce');
    return {
      label: `${label}.reduce`, pipeline: reduce,
      bindGroup: bindGroup(ctx, reduce, { 0: { buffer: u }, 6: partW, 7: partB, 8: binding(a.dw), 9: binding(a.db) }, label),
      workgroups: linearGrid(label, wv + b4, lim),
      pre: [first],
    };
  },
};

export const CONV_FWD: Family<FwdArgs, DimsShape> = {
  name: 'conv2d_fwd', fallback: 'base', variants: [fwdBase, im2colFwd], dims,
  launch: (ctx, a, v) => convFwd(ctx, a, `${a.g.label}.conv2d_fwd`, v),
  probe(ctx, shape, seed) {
    const g = geometryOf(ctx, shape), p = probeMatrices(ctx, g, seed);
    return { args: { g, big: p.big, w: p.w, b: p.bs, out: p.outSmall, leaky: { slope: 0.3 } }, outputs: [p.outSmall], buffers: p.buffers() };
  },
};

export const CONV_BWD_DATA: Family<BwdDataArgs, DimsShape> = {
  name: 'conv2d_bwd_data', fallback: 'base', variants: [bwdDataBase, im2colBwdData], dims,
  launch: (ctx, a, v) => convBwdData(ctx, a, `${a.g.label}.conv2d_bwd_data`, v),
  probe(ctx, shape, seed) {
    const g = geometryOf(ctx, shape), p = probeMatrices(ctx, g, seed);
    return { args: { g, small: p.small, w: p.w, out: p.outBig, b: p.bb, leaky: { slope: 0.3 } }, outputs: [p.outBig], buffers: p.buffers() };
  },
};

export const CONV_BWD_WEIGHT: Family<BwdWeightArgs, DimsShape> = {
  name: 'conv2d_bwd_weight', fallback: 'base', variants: [bwdWeightBase, im2colBwdWeight], dims,
  launch: (ctx, a, v) => convBwdWeight(ctx, a, `${a.g.label}.conv2d_bwd_weight`, v),
  probe(ctx, shape, seed) {
    const g = geometryOf(ctx, shape), p = probeMatrices(ctx, g, seed);
    return { args: { g, small: p.small, big: p.big, dw: p.dw, db: p.db, sum: p.small }, outputs: [p.dw, p.db], buffers: p.buffers() };
  },
};

export const CONV_FAMILIES = [CONV_FWD, CONV_BWD_DATA, CONV_BWD_WEIGHT] as const;

export function convFwd(ctx: GpuContext, a: FwdArgs, label: string, variant?: string): Dispatch {
  return chooseVariant(ctx.kernels, ctx.caps, CONV_FWD, convShape(a.g), variant).build(ctx, a, label);
}

export function convBwdData(ctx: GpuContext, a: BwdDataArgs, label: string, variant?: string): Dispatch {
  return chooseVariant(ctx.kernels, ctx.caps, CONV_BWD_DATA, convShape(a.g), variant).build(ctx, a, label);
}

export function convBwdWeight(ctx: GpuContext, a: BwdWeightArgs, label: string, variant?: string): Dispatch {
  return chooseVariant(ctx.kernels, ctx.caps, CONV_BWD_WEIGHT, convShape(a.g), variant).build(ctx, a, label);
}
