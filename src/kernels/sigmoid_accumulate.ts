// Launcher for shaders/sigmoid_accumulate.wgsl.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createUniform, type GpuMatrix } from '../gpu/matrix.ts';

export function sigmoidAccumulate(ctx: GpuContext, a: { logits: GpuMatrix; acc: GpuMatrix; weight: number }): Dispatch {
  const label = 'sigmoid_accumulate';
  const { rows: M, cols: D } = a.logits;
  if (a.acc.rows !== M || a.acc.cols !== D) fail(`${label}: accumulator is ${a.acc.rows}x${a.acc.cols} but logits are ${M}x${D}`);
  if (!Number.isFinite(a.weight)) fail(`${label}: weight must be finite, got ${a.weight}`);
  const pipeline = ctx.pipeline('sigmoid_accumulate', 'main');
  const params = createUniform(ctx, `${label}.params`, [['u32', M], ['u32', D], ['u32', a.logits.ld], ['f32', a.weight]]);
  return {
    label,
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, [{ buffer: params }, binding(a.logits), binding(a.acc)], label),
    workgroups: [Math.ceil(a.logits.ld / 64), M, 1],
  };
}
