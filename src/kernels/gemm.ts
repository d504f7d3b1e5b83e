// Launchers for the three GEMM forms of training (shaders/gemm_*.wgsl). Shapes are checked here,
// once, when a model is built; the returned Dispatch is only encoded per minibatch.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, ceil4, createUniform, type GpuMatrix } from '../gpu/matrix.ts';

const TILE = 32; // 8x8 invocations of 4x4 outputs each

function dims(ctx: GpuContext, label: string, M: number, N: number, K: number): GPUBuffer {
  return createUniform(ctx, `${label}.dims`, [['u32', M], ['u32', ceil4(N) / 4], ['u32', ceil4(K) / 4], ['u32', 0]]);
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

/** `slope` > 0 makes the activation LeakyReLU (with `relu`). */
export function gemmXWt(ctx: GpuContext, a: { x: GpuMatrix; w: GpuMatrix; b: GpuMatrix; y: GpuMatrix; relu: boolean; slope?: number }): Dispatch {
  const label = `gemm_xwt(${a.y.label})`;
  requireRows(label, a.x);
  requireWeight(label, a.w);
  same(label, a.x.cols, a.w.cols, `X has ${a.x.cols} columns but W has ${a.w.cols} (K must match)`);
  same(label, a.w.rows, a.y.cols, `W has ${a.w.rows} rows but Y has ${a.y.cols} columns (N must match)`);
  same(label, a.b.cols, a.w.rows, `bias has ${a.b.cols} entries but W has ${a.w.rows} rows`);
  same(label, a.x.rows, a.y.rows, `X has ${a.x.rows} rows but Y has ${a.y.rows} (M must match)`);
  const slope = checkSlope(label, a.slope);
  const pipeline = ctx.pipeline('gemm_xwt', 'main', { RELU: a.relu ? 1 : 0, ...(slope ? { SLOPE: slope } : {}) });
  const M = a.x.rows, N = a.w.rows, K = a.x.cols;
  return {
    label,
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, [{ buffer: dims(ctx, label, M, N, K) }, binding(a.x), binding(a.w), binding(a.b), binding(a.y)], label),
    workgroups: [Math.ceil(ceil4(N) / TILE), Math.ceil(M / TILE), 1],
  };
}

/** dx = (dy · w) ⊙ [act > 0]; dy (M,N), w (N,K), dx and act (M,K). Without `act`, no mask. */
export function gemmDyW(ctx: GpuContext, a: { dy: GpuMatrix; w: GpuMatrix; dx: GpuMatrix; act?: GpuMatrix; slope?: number }): Dispatch {
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
  const pipeline = ctx.pipeline('gemm_dyw', 'main', { MASK: a.act ? 1 : 0, ...(slope ? { SLOPE: slope } : {}) });
  const M = a.dy.rows, N = a.w.rows, K = a.w.cols;
  // without a mask the shader never reads binding 3; dY (read-only, never dX) fills the slot
  const act = a.act ?? a.dy;
  return {
    label,
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, [{ buffer: dims(ctx, label, M, N, K) }, binding(a.dy), binding(a.w), binding(act), binding(a.dx)], label),
    workgroups: [Math.ceil(ceil4(K) / TILE), Math.ceil(M / TILE), 1],
  };
}

/** dw = dyᵀ · x, db = column sums of dy; dy (M,N), x (M,K), dw (N,K), db (1,N). */
export function gemmDytX(ctx: GpuContext, a: { dy: GpuMatrix; x: GpuMatrix; dw: GpuMatrix; db: GpuMatrix }): Dispatch {
  const label = `gemm_dytx(${a.dw.label})`;
  requireRows(label, a.dy);
  requireWeight(label, a.dw);
  same(label, a.dy.rows, a.x.rows, `dY has ${a.dy.rows} rows but X has ${a.x.rows} (M must match)`);
  same(label, a.dw.rows, a.dy.cols, `dW has ${a.dw.rows} rows but dY has ${a.dy.cols} columns (N must match)`);
  same(label, a.dw.cols, a.x.cols, `dW has ${a.dw.cols} columns but X has ${a.x.cols} (K must match)`);
  same(label, a.db.cols, a.dy.cols, `db has ${a.db.cols} entries but dY has ${a.dy.cols} columns`);
  const pipeline = ctx.pipeline('gemm_dytx', 'main');
  const M = a.dy.rows, N = a.dy.cols, K = a.x.cols;
  return {
    label,
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, [{ buffer: dims(ctx, label, M, N, K) }, binding(a.dy), binding(a.x), binding(a.dw), binding(a.db)], label),
    workgroups: [Math.ceil(ceil4(K) / TILE), Math.ceil(ceil4(N) / TILE), 1],
  };
}
