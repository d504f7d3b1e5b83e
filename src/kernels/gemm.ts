// Launchers for the three GEMM forms of training, each a kernel family (src/tune/family.ts):
// `base` is the original kernel (shaders/gemm_*.wgsl, every adapter), `subgroup.rR` the subgroup +
// texture variants for CPU-SIMD adapters (gemm_subgroup.ts), `storage.r64` the same reading storage
// textures (wins on llvmpipe; subgroup.rR wins on SwiftShader). Shapes are checked here, once, when
// a model is built; then the variant is chosen (src/tune/table.ts) and the returned Dispatch is
// only encoded per minibatch.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { allocMatrix, binding, ceil4, writeMatrix, type GpuMatrix } from '../gpu/matrix.ts';
import { createRng } from '../rng.ts';
import type { Family, Variant } from '../tune/family.ts';
import { chooseVariant } from '../tune/table.ts';
import { dytxTiledVariants, dywTiledVariants, xwtTiledVariants } from './gemm_tiled.ts';
import { dytxSubgroup, dywSubgroup, gemmDims as dims, xwtSubgroup, type DytxArgs, type DywArgs, type XwtArgs } from './gemm_subgroup.ts';

const TILE = 32; // base variants: 8x8 invocations of 4x4 outputs each
const always = (): undefined => undefined;

/** Seeded inputs in [-1, 1) and zeroed outputs for the tuner (weights get rows padded to 4). */
function probeMatrices(ctx: GpuContext, seed: number, inputs: Record<string, [number, number, boolean?]>, outputs: Record<string, [number, number, boolean?]>) {
  const rng = createRng(seed);
  const m: Record<string, GpuMatrix> = {};
  for (const [name, [rows, cols, weight]] of Object.entries(inputs)) {
    m[name] = allocMatrix(ctx, rows, cols, `tune.${name}`, weight);
    writeMatrix(ctx, m[name], Float32Array.from({ length: rows * cols }, () => 2 * rng.next() - 1));
  }
  for (const [name, [rows, cols, weight]] of Object.entries(outputs)) m[name] = allocMatrix(ctx, rows, cols, `tune.${name}`, weight);
  return { m, buffers: Object.values(m).map((x) => x.buffer) };
}

function same(what: string, a: number, b: number, how: string): void {
  if (a !== b) fail(`${what}: ${how} (got ${a} and ${b})`);
}

function requireWeight(what: string, w: GpuMatrix): void {
  if (w.allocRows !== ceil4(w.rows)) fail(`${what}: weight ${w.label} must be allocated with rows padded to 4 (rows ${w.rows}, allocated ${w.allocRows})`);
}

function requireRows(what: string, m: GpuMatrix): void {
  if (m.rows < 1) fail(`${what}: ${m.label} has ${m.rows} rows; need at least 1`);
}

/** y = act(x · wᵀ + b); x (M,K), w (N,K), b (1,N), y (M,N). */
/** LeakyReLU's negative slope: 0 (plain ReLU) or in (0, 1). */
function checkSlope(label: string, slope: number | undefined): number {
  const s = slope ?? 0;
  if (!(s >= 0 && s < 1)) fail(`${label}: the LeakyReLU slope must be in [0, 1), got ${s}`);
  return s;
}

const xwtBase: Variant<XwtArgs> = {
  name: 'base',
  unfit: always,
  build(ctx, a, label) {
    const pipeline = ctx.pipeline('gemm_xwt', 'main', { RELU: a.relu ? 1 : 0, ...(a.slope ? { SLOPE: a.slope } : {}) });
    const M = a.x.rows, N = a.w.rows, K = a.x.cols;
    return {
      label,
      pipeline,
      bindGroup: bindGroup(ctx, pipeline, [{ buffer: dims(ctx, label, M, N, K) }, binding(a.x), binding(a.w), binding(a.b), binding(a.y)], label),
      workgroups: [Math.ceil(ceil4(N) / TILE), Math.ceil(M / TILE), 1],
    };
  },
};

/** gemm_xwt: (M, N, K) = (batch, outputs, inputs). */
export const GEMM_XWT: Family<XwtArgs> = {
  name: 'gemm_xwt', fallback: 'base', variants: [xwtBase, xwtSubgroup(32), xwtSubgroup(64), xwtSubgroup(64, 'storage'), ...xwtTiledVariants],
  launch: (ctx, a, v) => gemmXWt(ctx, a, v),
  probe(ctx, { M, N, K }, seed) {
    const p = probeMatrices(ctx, seed, { x: [M, K], w: [N, K, true], b: [1, N] }, { y: [M, N] });
    return { args: { x: p.m.x, w: p.m.w, b: p.m.b, y: p.m.y, relu: true, slope: 0 }, outputs: [p.m.y], buffers: p.buffers };
  },
};

/** `slope` > 0 makes the activation LeakyReLU (with `relu`); `variant` forces one (tests, bench). */
export function gemmXWt(ctx: GpuContext, a: { x: GpuMatrix; w: GpuMatrix; b: GpuMatrix; y: GpuMatrix; relu: boolean; slope?: number }, variant?: string): Dispatch {
  const label = `gemm_xwt(${a.y.label})`;
  requireRows(label, a.x);
  requireWeight(label, a.w);
  same(label, a.x.cols, a.w.cols, `X has ${a.x.cols} columns but W has ${a.w.cols} (K must match)`);
  same(label, a.w.rows, a.y.cols, `W has ${a.w.rows} rows but Y has ${a.y.cols} columns (N must match)`);
  same(label, a.b.cols, a.w.rows, `bias has ${a.b.cols} entries but W has ${a.w.rows} rows`);
  same(label, a.x.rows, a.y.rows, `X has ${a.x.rows} rows but Y has ${a.y.rows} (M must match)`);
  const slope = checkSlope(label, a.slope);
  const shape = { M: a.x.rows, N: a.w.rows, K: a.x.cols };
  return chooseVariant(ctx.kernels, ctx.caps, GEMM_XWT, shape, variant).build(ctx, { ...a, slope }, label);
}

const dywBase: Variant<DywArgs> = {
  name: 'base',
  unfit: always,
  build(ctx, a, label) {
    const pipeline = ctx.pipeline('gemm_dyw', 'main', { MASK: a.act ? 1 : 0, ...(a.slope ? { SLOPE: a.slope } : {}) });
    const M = a.dy.rows, N = a.w.rows, K = a.w.cols;
    // without a mask the shader never reads binding 3; dY (read-only, never dX) fills the slot
    const act = a.act ?? a.dy;
    return {
      label,
      pipeline,
      bindGroup: bindGroup(ctx, pipeline, [{ buffer: dims(ctx, label, M, N, K) }, binding(a.dy), binding(a.w), binding(act), binding(a.dx)], label),
      workgroups: [Math.ceil(ceil4(K) / TILE), Math.ceil(M / TILE), 1],
    };
  },
};

/** gemm_dyw: (M, N, K) = (batch, the layer's outputs, its inputs). */
export const GEMM_DYW: Family<DywArgs> = {
  name: 'gemm_dyw', fallback: 'base', variants: [dywBase, dywSubgroup(32), dywSubgroup(64), dywSubgroup(64, 'storage'), ...dywTiledVariants],
  launch: (ctx, a, v) => gemmDyW(ctx, a, v),
  probe(ctx, { M, N, K }, seed) {
    const p = probeMatrices(ctx, seed, { dy: [M, N], w: [N, K, true], act: [M, K] }, { dx: [M, K] });
    return { args: { dy: p.m.dy, w: p.m.w, act: p.m.act, dx: p.m.dx, slope: 0 }, outputs: [p.m.dx], buffers: p.buffers };
  },
};

/** dx = (dy · w) ⊙ [act > 0]; dy (M,N), w (N,K), dx and act (M,K). Without `act`, no mask. */
export function gemmDyW(ctx: GpuContext, a: { dy: GpuMatrix; w: GpuMatrix; dx: GpuMatrix; act?: GpuMatrix; slope?: number }, variant?: string): Dispatch {
  const label = `gemm_dyw(${a.dx.label})`;
  requireRows(label, a.dy);
  requireWeight(label, a.w);
  same(label, a.dy.cols, a.w.rows, `dY has ${a.dy.cols} columns but W has ${a.w.rows} rows (N must match)`);
  same(label, a.dx.cols, a.w.cols, `dX has ${a.dx.cols} columns but W has ${a.w.cols} (K must match)`);
  same(label, a.dy.rows, a.dx.rows, `dY has ${a.dy.rows} rows but dX has ${a.dx.rows} (M must match)`);
  if (a.act) {
    same(label, a.act.rows, a.dx.rows, `mask ${a.act.label} has ${a.act.rows} rows but dX has ${a.dx.rows}`);
    same(label, a.act.cols, a.dx.cols, `mask ${a.act.label} has ${a.act.cols} columns but dX has ${a.dx.cols}`);
  }
  const slope = checkSlope(label, a.slope);
  const shape = { M: a.dy.rows, N: a.w.rows, K: a.w.cols };
  return chooseVariant(ctx.kernels, ctx.caps, GEMM_DYW, shape, variant).build(ctx, { ...a, slope }, label);
}

const dytxBase: Variant<DytxArgs> = {
  name: 'base',
  unfit: always,
  build(ctx, a, label) {
    const pipeline = ctx.pipeline('gemm_dytx', 'main');
    const M = a.dy.rows, N = a.dy.cols, K = a.x.cols;
    return {
      label,
      pipeline,
      bindGroup: bindGroup(ctx, pipeline, [{ buffer: dims(ctx, label, M, N, K) }, binding(a.dy), binding(a.x), binding(a.dw), binding(a.db)], label),
      workgroups: [Math.ceil(ceil4(K) / TILE), Math.ceil(ceil4(N) / TILE), 1],
    };
  },
};

/** gemm_dytx: (M, N, K) = (batch, the layer's outputs, its inputs). */
export const GEMM_DYTX: Family<DytxArgs> = {
  name: 'gemm_dytx', fallback: 'base', variants: [dytxBase, dytxSubgroup(32), dytxSubgroup(64), dytxSubgroup(64, 'storage'), ...dytxTiledVariants],
  launch: (ctx, a, v) => gemmDytX(ctx, a, v),
  probe(ctx, { M, N, K }, seed) {
    const p = probeMatrices(ctx, seed, { dy: [M, N], x: [M, K] }, { dw: [N, K, true], db: [1, N] });
    return { args: { dy: p.m.dy, x: p.m.x, dw: p.m.dw, db: p.m.db }, outputs: [p.m.dw, p.m.db], buffers: p.buffers };
  },
};

export const GEMM_FAMILIES = [GEMM_XWT, GEMM_DYW, GEMM_DYTX] as const;

/** dw = dyᵀ · x, db = column sums of dy; dy (M,N), x (M,K), dw (N,K), db (1,N). */
export function gemmDytX(ctx: GpuContext, a: { dy: GpuMatrix; x: GpuMatrix; dw: GpuMatrix; db: GpuMatrix }, variant?: string): Dispatch {
  const label = `gemm_dytx(${a.dw.label})`;
  requireRows(label, a.dy);
  requireWeight(label, a.dw);
  same(label, a.dy.rows, a.x.rows, `dY has ${a.dy.rows} rows but X has ${a.x.rows} (M must match)`);
  same(label, a.dw.rows, a.dy.cols, `dW has ${a.dw.rows} rows but dY has ${a.dy.cols} columns (N must match)`);
  same(label, a.dw.cols, a.x.cols, `dW has ${a.dw.cols} columns but X has ${a.x.cols} (K must match)`);
  same(label, a.db.cols, a.dy.cols, `db has ${a.db.cols} entries but dY has ${a.dy.cols} columns`);
  const shape = { M: a.dy.rows, N: a.dy.cols, K: a.x.cols };
  return chooseVariant(ctx.kernels, ctx.caps, GEMM_DYTX, shape, variant).build(ctx, a, label);
}
