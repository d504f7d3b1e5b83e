// Launcher for shaders/concat_onehot.wgsl: the conditional VAE's [a | onehot(label)] inputs.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createUniform, type GpuMatrix } from '../gpu/matrix.ts';

export interface ConcatArgs {
  src: GpuMatrix;
  /** (M) u32 class labels */
  labels: GPUBuffer;
  classes: number;
  dst: GpuMatrix;
  /** backward only: the gradient wrt dst in, wrt src out */
  ddst?: GpuMatrix;
  dsrc?: GpuMatrix;
}

export function concatOnehot(ctx: GpuContext, a: ConcatArgs): { forward: Dispatch; backward?: Dispatch } {
  const label = 'concat_onehot';
  const M = a.src.rows, K = a.src.cols, C = a.classes;
  if (!Number.isInteger(C) || C < 1) fail(`${label}: classes must be an integer >= 1, got ${C}`);
  if (a.dst.rows !== M || a.dst.cols !== K + C) fail(`${label}: ${a.dst.label} is ${a.dst.rows}x${a.dst.cols}, expected ${M}x${K + C}`);
  if (a.labels.size < M * 4) fail(`${label}: the labels buffer holds ${a.labels.size / 4} entries, the batch has ${M} rows`);
  const params = createUniform(ctx, `${label}.params`, [['u32', M], ['u32', K], ['u32', C], ['u32', a.src.ld], ['u32', a.dst.ld], ['u32', 0], ['u32', 0], ['u32', 0]]);
  const fwd = ctx.pipeline(label, 'forward');
  const forward: Dispatch = {
    label: `${label}.forward`, pipeline: fwd,
    bindGroup: bindGroup(ctx, fwd, [{ buffer: params }, binding(a.src), { buffer: a.labels }, binding(a.dst)], label),
    workgroups: [Math.ceil(a.dst.ld / 64), M, 1],
  };
  if (!a.ddst || !a.dsrc) return { forward };
  for (const [m, r, c] of [[a.ddst, M, K + C], [a.dsrc, M, K]] as const) if (m.rows !== r || m.cols !== c) fail(`${label}: ${m.label} is ${m.rows}x${m.cols}, expected ${r}x${c}`);
  const bwd = ctx.pipeline(label, 'backward');
  return {
    forward,
    backward: {
      label: `${label}.backward`, pipeline: bwd,
      bindGroup: bindGroup(ctx, bwd, { 0: { buffer: params }, 4: binding(a.ddst), 5: binding(a.dsrc) }, label),
      workgroups: [Math.ceil(a.dsrc.ld / 64), M, 1],
    },
  };
}
