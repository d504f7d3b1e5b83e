// Launcher of batch normalisation over an NHWC activation (shaders/batchnorm.wgsl): an image is a
// (M = N*H*W rows, C cols) matrix and statistics are per column. Validates once, allocates the
// statistics and the split partials, builds every bind group; the returned dispatch lists are
// only encoded per minibatch. `stats` holds mean, invstd, scale = gamma*invstd, beta (4 blocks of
// ceil4(C) floats) from the last training forward, which the backward reads; the evaluation forward
// has its own, so evaluating between a training forward and its backward changes nothing.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, ceil4, createBuffer, createUniform, type GpuMatrix } from '../gpu/matrix.ts';
import { linearGrid, requireWorkgroups } from './conv_plan.ts';
import type { Leaky } from './conv2d.ts';

export interface BatchNormConfig {
  /** the layer's name, for errors (e.g. encoder.bn4) */
  name?: string;
  /** rows (N*H*W) and channels */
  M: number; C: number;
  eps: number;
  /** PyTorch convention: running = (1 - momentum) running + momentum batch */
  momentum: number;
  /** fuse LeakyReLU after the normalisation (forward) and its derivative (backward) */
  leaky?: Leaky;
  /** row chunks of the reductions; by default enough for ~16k invocations, >= 32 rows each */
  splits?: number;
}

export interface BatchNormBuffers {
  x: GpuMatrix; gamma: GpuMatrix; beta: GpuMatrix; runMean: GpuMatrix; runVar: GpuMatrix; y: GpuMatrix;
  /** backward: the gradient of y in, of x, gamma and beta out (dy is read through the fused LeakyReLU) */
  dy?: GpuMatrix; dx?: GpuMatrix; dGamma?: GpuMatrix; dBeta?: GpuMatrix;
}

export interface BatchNormKernels {
  /** batch statistics, running-statistics update, y = act(gamma xhat + beta) */
  trainForward: Dispatch[];
  /** y from the running statistics; leaves them unchanged */
  evalForward: Dispatch[];
  /** after trainForward: dGamma, dBeta, dx (empty when no gradient buffers were given) */
  backward: Dispatch[];
  stats: GPUBuffer;
  splits: number;
}

const TARGET = 16384;
const MIN_ROWS = 32;

export function batchNorm(ctx: GpuContext, cfg: BatchNormConfig, b: BatchNormBuffers): BatchNormKernels {
  const { M, C } = cfg;
  const label = `batch norm ${cfg.name ? `${cfg.name} ` : ''}(${M}x${C})`;
  if (!Number.isInteger(C) || C < 1) fail(`${label}: channels must be a positive integer, got ${C}`);
  if (!Number.isInteger(M) || M < 2) fail(`${label}: needs at least 2 values per channel (N*H*W) for the unbiased running variance, got ${M}`);
  if (!(Number.isFinite(cfg.eps) && cfg.eps > 0)) fail(`${label}: eps must be a finite number > 0, got ${cfg.eps}`);
  if (!(cfg.momentum >= 0 && cfg.momentum <= 1)) fail(`${label}: momentum must be in [0, 1], got ${cfg.momentum}`);
  if (cfg.leaky && !Number.isFinite(cfg.leaky.slope)) fail(`${label}: LeakyReLU slope must be finite, got ${cfg.leaky.slope}`);
  const need = (what: string, m: GpuMatrix | undefined, rows: number) => {
    if (m && (m.rows !== rows || m.cols !== C)) fail(`${label}: ${what} ${m.label} is ${m.rows}x${m.cols} but must be ${rows}x${C}`);
  };
  need('input', b.x, M); need('output', b.y, M); need('gamma', b.gamma, 1); need('beta', b.beta, 1);
  need('running mean', b.runMean, 1); need('running variance', b.runVar, 1);
  need('output gradient', b.dy, M); need('input gradient', b.dx, M); need('gamma gradient', b.dGamma, 1); need('beta gradient', b.dBeta, 1);

  const c4 = ceil4(C) / 4;
  const lim = ctx.device.limits;
  let S = cfg.splits ?? Math.min(Math.ceil(TARGET / c4), Math.ceil(M / MIN_ROWS));
  if (!Number.isInteger(S) || S < 1) fail(`${label}: splits must be a positive integer, got ${S}`);
  const chunk = Math.ceil(M / Math.min(S, M));
  S = Math.ceil(M / chunk); // no empty chunk
  requireWorkgroups(label, `the ${S * c4} reduction invocations`, Math.ceil((S * c4) / 64), lim);
  const flat = linearGrid(label, M * c4, lim);
  const perChannel: [number, number, number] = [Math.ceil(c4 / 64), 1, 1];
  const partials: [number, number, number] = [Math.ceil((S * c4) / 64), 1, 1];

  const u = createUniform(ctx, `${label}.geo`, [['u32', M], ['u32', c4], ['u32', C], ['u32', chunk], ['u32', S], ['f32', cfg.eps], ['f32', cfg.momentum], ['u32', 0]]);
  const part = createBuffer(ctx, S * c4 * 32, `${label}.partials`);
  const stats = createBuffer(ctx, c4 * 64, `${label}.stats`);
  const evalStats = createBuffer(ctx, c4 * 64, `${label}.evalStats`);
  const act: Record<string, number> = cfg.leaky ? { LEAKY: 1, SLOPE: cfg.leaky.slope } : { LEAKY: 0 };
  const d = (entry: string, res: Record<number, GPUBindingResource>, workgroups: [number, number, number], fused = false): Dispatch => {
    const pipeline = ctx.pipeline('batchnorm', entry, fused ? act : {});
    return { label: `${label}.${entry}`, pipeline, bindGroup: bindGroup(ctx, pipeline, { 0: { buffer: u }, ...res }, `${label}.${entry}`), workgroups };
  };
  const params = (st: GPUBuffer) => ({ 3: binding(b.gamma), 4: binding(b.beta), 5: { buffer: st }, 6: binding(b.runMean), 7: binding(b.runVar) });
  const apply = (st: GPUBuffer) => d('apply', { 1: binding(b.x), 5: { buffer: st }, 8: binding(b.y) }, flat, true);
  const trainForward = [
    d('stats_partial', { 1: binding(b.x), 2: { buffer: part } }, partials),
    d('stats_finalize', { 2: { buffer: part }, ...params(stats) }, perChannel),
    apply(stats),
  ];
  const evalForward = [d('eval_prepare', params(evalStats), perChannel), apply(evalStats)];
  let backward: Dispatch[] = [];
  if (b.dy && b.dx && b.dGamma && b.dBeta) {
    const grads = { 11: binding(b.dGamma), 12: binding(b.dBeta) };
    backward = [
      d('grad_partial', { 1: binding(b.x), 2: { buffer: part }, 5: { buffer: stats }, 9: binding(b.dy) }, partials, true),
      d('grad_finalize', { 2: { buffer: part }, ...grads }, perChannel),
      d('grad_input', { 1: binding(b.x), 5: { buffer: stats }, 9: binding(b.dy), 10: binding(b.dx), ...grads }, flat, true),
    ];
  } else if (b.dy || b.dx || b.dGamma || b.dBeta) {
    fail(`${label}: the backward needs all of dy, dx, dGamma and dBeta`);
  }
  return { trainForward, evalForward, backward, stats, splits: S };
}
