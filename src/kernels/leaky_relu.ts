// Launcher of the standalone LeakyReLU (shaders/leaky_relu.wgsl), for activations with no conv or
// batch norm to fuse into. Works on whole padded matrices (padding 0 stays 0).
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createUniform, type GpuMatrix } from '../gpu/matrix.ts';
import { linearGrid } from './conv_plan.ts';
import type { Leaky } from './conv2d.ts';

/** forward y = LeakyReLU(x); backward dx = dy ⊙ LeakyReLU'(a), a = x unless given (any same-sign tensor) */
export function leakyRelu(ctx: GpuContext, cfg: Leaky, m: { x: GpuMatrix; y: GpuMatrix; dy?: GpuMatrix; dx?: GpuMatrix; a?: GpuMatrix }): { forward: Dispatch; backward?: Dispatch } {
  const label = `leaky_relu(${m.y.label})`;
  if (!Number.isFinite(cfg.slope)) fail(`${label}: slope must be finite, got ${cfg.slope}`);
  const a = m.a ?? m.x;
  for (const [what, o] of [['output', m.y], ['gradient', m.dy], ['input gradient', m.dx], ['mask', a]] as const) {
    if (o && (o.rows !== m.x.rows || o.cols !== m.x.cols)) fail(`${label}: ${what} ${o.label} is ${o.rows}x${o.cols} but the input is ${m.x.rows}x${m.x.cols}`);
  }
  const n4 = (m.x.rows * m.x.ld) / 4;
  const u = createUniform(ctx, `${label}.geo`, [['u32', n4], ['u32', 0], ['u32', 0], ['u32', 0]]);
  const grid = linearGrid(label, n4, ctx.device.limits);
  const fwd = ctx.pipeline('leaky_relu', 'forward', { SLOPE: cfg.slope });
  const forward = { label: `${label}.forward`, pipeline: fwd, bindGroup: bindGroup(ctx, fwd, { 0: { buffer: u }, 1: binding(m.x), 2: binding(m.y) }, label), workgroups: grid };
  if (!m.dy || !m.dx) return { forward };
  const bwd = ctx.pipeline('leaky_relu', 'backward', { SLOPE: cfg.slope });
  const backward = { label: `${label}.backward`, pipeline: bwd, bindGroup: bindGroup(ctx, bwd, { 0: { buffer: u }, 3: binding(m.dy), 4: binding(a), 5: binding(m.dx) }, label), workgroups: grid };
  return { forward, backward };
}
