// The training state on the GPU (the step counter) and the per-step bookkeeping kernels:
// shaders/step_advance.wgsl and shaders/loss_accumulate.wgsl.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createBuffer, createUniform, type GpuMatrix } from '../gpu/matrix.ts';

export const STATE_BYTES = 16;

export function createTrainState(ctx: GpuContext, step = 0): GPUBuffer {
  const state = createBuffer(ctx, STATE_BYTES, 'train_state');
  ctx.device.queue.writeBuffer(state, 0, new Uint32Array([step, 0, 0, 0]));
  return state;
}

export function stepAdvance(ctx: GpuContext, state: GPUBuffer): Dispatch {
  const pipeline = ctx.pipeline('step_advance', 'main');
  return { label: 'step_advance', pipeline, bindGroup: bindGroup(ctx, pipeline, [{ buffer: state }], 'step_advance'), workgroups: [1, 1, 1] };
}

/** Loss sums: [sum RE, sum KL, rows seen, non-finite rows]; zeroed by the caller per epoch. */
export function lossAccumulate(ctx: GpuContext, a: { re: GpuMatrix; kl: GpuMatrix; sums: GPUBuffer }): Dispatch {
  const M = a.re.cols;
  if (a.kl.cols !== M) fail(`loss_accumulate: ${a.kl.cols} KL rows but ${M} reconstruction rows`);
  const pipeline = ctx.pipeline('loss_accumulate', 'main');
  const params = createUniform(ctx, 'loss_accumulate.params', [['u32', M], ['u32', 0], ['u32', 0], ['u32', 0]]);
  return {
    label: 'loss_accumulate',
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, [{ buffer: params }, binding(a.re), binding(a.kl), { buffer: a.sums, size: 16 }], 'loss_accumulate'),
    workgroups: [1, 1, 1],
  };
}
