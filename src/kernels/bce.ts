// Launcher for shaders/bce_sigmoid.wgsl: Bernoulli loss per row and its gradient from logits.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createUniform, type GpuMatrix } from '../gpu/matrix.ts';

/** rowLoss (1, M) and dLogits (M, D) from logits and targets x (M, D); gradient scaled by `scale`. */
export function bceSigmoid(
  ctx: GpuContext,
  a: { logits: GpuMatrix; x: GpuMatrix; dLogits: GpuMatrix; rowLoss: GpuMatrix; scale: number },
): Dispatch {
  const label = 'bce_sigmoid';
  const { M, D } = { M: a.logits.rows, D: a.logits.cols };
  for (const m of [a.x, a.dLogits]) {
    if (m.rows !== M || m.cols !== D) fail(`${label}: ${m.label} is ${m.rows}x${m.cols} but logits are ${M}x${D}`);
  }
  if (a.rowLoss.cols !== M) fail(`${label}: row losses hold ${a.rowLoss.cols} entries but the batch has ${M} rows`);
  if (!Number.isFinite(a.scale)) fail(`${label}: gradient scale must be finite, got ${a.scale}`);
  const pipeline = ctx.pipeline('bce_sigmoid', 'main');
  const params = createUniform(ctx, `${label}.params`, [['u32', M], ['u32', D], ['u32', a.logits.ld], ['f32', a.scale]]);
  return {
    label,
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, [{ buffer: params }, binding(a.logits), binding(a.x), binding(a.dLogits), binding(a.rowLoss)], label),
    workgroups: [Math.ceil(M / 64), 1, 1],
  };
}
