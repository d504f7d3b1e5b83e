// Launchers for the parameter updates (shaders/sgd.wgsl, shaders/adam.wgsl). Both run over the
// whole parameter block at once: one dispatch per step whatever the number of layers.
import { fail, requirePositiveFinite } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { createBuffer, createUniform } from '../gpu/matrix.ts';

export type OptimizerConfig =
  | { kind: 'sgd'; lr: number }
  | { kind: 'adam'; lr: number; beta1?: number; beta2?: number; eps?: number };

export function validateOptimizer(o: OptimizerConfig): void {
  if (o.kind !== 'sgd' && o.kind !== 'adam') fail(`unknown optimizer "${(o as { kind: string }).kind}" (expected sgd or adam)`);
  requirePositiveFinite('learning rate (lr)', o.lr);
  if (o.kind === 'adam') {
    for (const [name, v] of [['beta1', o.beta1 ?? 0.9], ['beta2', o.beta2 ?? 0.999]] as const) {
      if (!(v >= 0 && v < 1)) fail(`Adam ${name} must be in [0, 1), got ${v}`);
    }
    requirePositiveFinite('Adam eps', o.eps ?? 1e-8);
  }
}

export interface Optimizer {
  update: Dispatch;
  /** Adam's moments (m, v), kept so checkpoints can save and restore them */
  moments: GPUBuffer[];
}

export function createOptimizer(ctx: GpuContext, o: OptimizerConfig, a: { params: GPUBuffer; grads: GPUBuffer; bytes: number; state: GPUBuffer }): Optimizer {
  validateOptimizer(o);
  if (a.bytes % 16 !== 0) fail(`optimizer: parameter block of ${a.bytes} bytes is not a whole number of vec4`);
  const n4 = a.bytes / 16;
  const groups: [number, number, number] = [Math.ceil(n4 / 256), 1, 1];
  const p = { buffer: a.params, size: a.bytes }, g = { buffer: a.grads, size: a.bytes };
  if (o.kind === 'sgd') {
    const pipeline = ctx.pipeline('sgd', 'main');
    const u = createUniform(ctx, 'sgd.params', [['u32', n4], ['f32', o.lr], ['u32', 0], ['u32', 0]]);
    return { update: { label: 'sgd', pipeline, bindGroup: bindGroup(ctx, pipeline, [{ buffer: u }, p, g], 'sgd'), workgroups: groups }, moments: [] };
  }
  const pipeline = ctx.pipeline('adam', 'main');
  const u = createUniform(ctx, 'adam.params', [
    ['u32', n4], ['f32', o.lr], ['f32', o.beta1 ?? 0.9], ['f32', o.beta2 ?? 0.999], ['f32', o.eps ?? 1e-8], ['u32', 0], ['u32', 0], ['u32', 0],
  ]);
  const m = createBuffer(ctx, a.bytes, 'adam.m');
  const v = createBuffer(ctx, a.bytes, 'adam.v');
  return {
    update: { label: 'adam', pipeline, bindGroup: bindGroup(ctx, pipeline, [{ buffer: u }, { buffer: a.state }, p, g, { buffer: m, size: a.bytes }, { buffer: v, size: a.bytes }], 'adam'), workgroups: groups },
    moments: [m, v],
  };
}
