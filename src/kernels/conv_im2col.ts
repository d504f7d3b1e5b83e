// The `im2col` variants of the conv families (conv_family.ts): each pass as one GEMM of the GEMM
// families plus the copies of shaders/conv2d_im2col.wgsl, with cols = (small pixels, KH*KW*ceil4(Cb))
// in a scratch matrix of the layer's own:
//   conv2d_fwd        cols = im2col(big);  small = cols · wᵀ + b          (gemm_xwt)
//   conv2d_bwd_data   cols = small · w;    big = col2im(cols) + b         (gemm_dyw)
//   conv2d_bwd_weight cols = im2col(big);  dw = smallᵀ · cols, db          (gemm_dytx)
// Why: the GEMM families already hold the kernels that fit each adapter (the subgroup + texture ones
// run 4-5x the original GEMM on llvmpipe, /work/shared/webgpu.md), and the original conv kernels
// are GEMMs with an index gather in the inner loop that those tricks do not reach. The copies are
// one load and one store per element. The GEMM's variant is the GEMM table's choice for its shape
// (tuned, forced, or recorded by the run like any other GEMM: src/tune/requests.ts lists it).
// Epilogues: LeakyReLU rides on gemm_xwt when its slope is in [0, 1) and there is no mask, else the
// `finish` pass does it; col2im does bias, LeakyReLU and mask itself.
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { allocMatrix, binding, ceil4, type GpuMatrix } from '../gpu/matrix.ts';
import type { AdapterCaps, DimsShape, Variant } from '../tune/family.ts';
import type { BwdDataArgs, BwdWeightArgs, FwdArgs, Leaky, Mask } from './conv_family.ts';
import { linearGrid, type ConvGeometry } from './conv_plan.ts';
import { gemmDytX, gemmDyW, gemmXWt } from './gemm.ts';

/** every WebGPU device binds at least this much storage (maxStorageBufferBindingSize's default) */
const MIN_BINDING = 128 << 20;
/** the GEMM families' base variants take 32 rows a workgroup, at most 65535 workgroups (the default) */
const MAX_GEMM_ROWS = 32 * 65535;

/** cols is (small pixels) x (taps * ceil4(Cb)) floats; key order as in conv_family.ts CONV_DIMS */
function colsSize(s: DimsShape): { rows: number; cols: number } {
  const [N, , , Cb, Hs, Ws, , KH, KW] = s.dims;
  return { rows: N * Hs * Ws, cols: KH * KW * ceil4(Cb) };
}

function unfit(_caps: AdapterCaps, s: DimsShape): string | undefined {
  const { rows, cols } = colsSize(s);
  if (rows * cols * 4 > MIN_BINDING) return `the im2col matrix (${rows} x ${cols} floats) is over the ${MIN_BINDING} bytes every device binds`;
  if (rows > MAX_GEMM_ROWS) return `its GEMM has ${rows} rows, over the ${MAX_GEMM_ROWS} the base GEMM can dispatch`;
  return undefined;
}

/** the layer's geometry as the shader's override constants (one pipeline per layer and epilogue) */
function geo(g: ConvGeometry): Record<string, number> {
  return { N: g.N, HB: g.Hb, WB: g.Wb, CB4: ceil4(g.Cb) / 4, HS: g.Hs, WS: g.Ws, CS4: ceil4(g.Cs) / 4, KH: g.KH, KW: g.KW, STRIDE: g.stride, PAD: g.pad };
}

function scratch(ctx: GpuContext, g: ConvGeometry, label: string): GpuMatrix {
  const { rows, cols } = colsSize({ dims: [g.N, g.Hb, g.Wb, g.Cb, g.Hs, g.Ws, g.Cs, g.KH, g.KW, g.stride, g.pad] });
  return allocMatrix(ctx, rows, cols, `${label}.cols`);
}

function im2col(ctx: GpuContext, g: ConvGeometry, big: GpuMatrix, cols: GpuMatrix, label: string): Dispatch {
  const pipeline = ctx.pipeline('conv2d_im2col', 'im2col', geo(g));
  return {
    label: `${label}.im2col`, pipeline,
    bindGroup: bindGroup(ctx, pipeline, { 1: binding(big), 2: binding(cols) }, label),
    workgroups: linearGrid(label, cols.rows * g.KH * g.KW, ctx.device.limits),
  };
}

const epilogue = (leaky?: Leaky, mask?: Mask, bias = false) => ({ LEAKY: leaky ? 1 : 0, MASK: mask ? 1 : 0, BIAS: bias ? 1 : 0, SLOPE: leaky?.slope ?? mask?.slope ?? 0.01 });

export const im2colFwd: Variant<FwdArgs, DimsShape> = {
  name: 'im2col',
  unfit,
  build(ctx, a, label) {
    const cols = scratch(ctx, a.g, label);
    const im = im2col(ctx, a.g, a.big, cols, label);
    const fuse = !a.mask && (!a.leaky || (a.leaky.slope >= 0 && a.leaky.slope < 1));
    const gemm = gemmXWt(ctx, { x: cols, w: a.w, b: a.b, y: a.out, relu: fuse && !!a.leaky, slope: fuse ? a.leaky?.slope : undefined });
    if (fuse) return { ...gemm, pre: [im, ...(gemm.pre ?? [])] };
    const { leaky, mask } = a;
    const c = epilogue(leaky, mask);
    const pipeline = ctx.pipeline('conv2d_im2col', 'finish', { ...geo(a.g), LEAKY: c.LEAKY, MASK: c.MASK, SLOPE: c.SLOPE });
    return {
      label: `${label}.finish`, pipeline,
      // without a mask the act slot holds the weight: read-only here, never the output
      bindGroup: bindGroup(ctx, pipeline, { 5: binding(mask?.act ?? a.w), 7: binding(a.out) }, label),
      workgroups: linearGrid(label, a.out.rows * (a.out.ld / 4), ctx.device.limits),
      pre: [im, gemm],
    };
  },
};

export const im2colBwdData: Variant<BwdDataArgs, DimsShape> = {
  name: 'im2col',
  unfit,
  build(ctx, a, label) {
    const cols = scratch(ctx, a.g, label);
    const gemm = gemmDyW(ctx, { dy: a.small, w: a.w, dx: cols });
    const pipeline = ctx.pipeline('conv2d_im2col', 'col2im', { ...geo(a.g), ...epilogue(a.leaky, a.mask, !!a.b) });
    // unused slots hold the read-only cols (the shader reads them only when enabled)
    return {
      label: `${label}.col2im`, pipeline,
      bindGroup: bindGroup(ctx, pipeline, {
        3: binding(cols), 4: binding(a.out), 5: binding(a.mask?.act ?? cols), 6: binding(a.b ?? cols),
      }, label),
      workgroups: linearGrid(label, a.out.rows * (a.out.ld / 4), ctx.device.limits),
      pre: [gemm],
    };
  },
};

export const im2colBwdWeight: Variant<BwdWeightArgs, DimsShape> = {
  name: 'im2col',
  unfit,
  build(ctx, a, label) {
    const cols = scratch(ctx, a.g, label);
    const im = im2col(ctx, a.g, a.big, cols, label);
    // a conv's bias gradient sums small (the GEMM's dY: gemm_dytx sums it); a transposed conv's sums big
    const sumsSmall = a.sum.buffer === a.small.buffer && a.sum.offset === a.small.offset;
    const db = sumsSmall ? a.db : allocMatrix(ctx, 1, a.small.cols, `${label}.dbSmall`);
    const gemm = gemmDytX(ctx, { dy: a.small, x: cols, dw: a.dw, db });
    if (sumsSmall) return { ...gemm, pre: [im, ...(gemm.pre ?? [])] };
    // the summed matrix as a one-column image of its rows
    const pipeline = ctx.pipeline('conv2d_im2col', 'colsum', { N: 1, HB: a.sum.rows, WB: 1, CB4: a.sum.ld / 4 });
    return {
      label: `${label}.colsum`, pipeline,
      bindGroup: bindGroup(ctx, pipeline, { 1: binding(a.sum), 8: binding(a.db) }, label),
      workgroups: [a.sum.ld / 4, 1, 1],
      pre: [im, gemm],
    };
  },
};
