// Launcher for shaders/sample_eps.wgsl: the reparameterization noise, normal or Student-t.
import { fail, requirePositiveFinite } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createUniform, type GpuMatrix } from '../gpu/matrix.ts';
import type { Family } from '../parts/latent/family.ts';

/** `t` draws each coordinate with its own chi2; `multivariate-t` shares one chi2 per latent vector. */
export type NoiseKind = Family;

const MODE = { normal: 0, t: 1, 'multivariate-t': 2 } as const;

export function validateNoise(noise: NoiseKind): void {
  if (!(noise.kind in MODE)) fail(`unknown noise "${noise.kind}" (expected normal, t or multivariate-t)`);
  if (noise.kind !== 'normal') requirePositiveFinite('nu (degrees of freedom)', noise.nu);
}

/** Splits a JS seed (any integer in [0, 2^53)) into the two 32-bit Philox key words. */
export function seedKey(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) fail(`seed must be an integer in [0, 2^53), got ${seed}`);
  return [seed >>> 0, Math.floor(seed / 2 ** 32) >>> 0];
}

export interface SamplerArgs {
  noise: NoiseKind;
  seed: number;
  /** rows x latent */
  M: number;
  L: number;
  /** training state buffer; its first u32 is the step */
  state: GPUBuffer;
  /** output (1, M*L) */
  eps: GpuMatrix;
  /** added to the step, so different uses of one seed (training, evaluation) draw apart */
  stepOffset?: number;
}

function params(ctx: GpuContext, a: SamplerArgs): GPUBuffer {
  const [k0, k1] = seedKey(a.seed);
  const nu = a.noise.kind === 'normal' ? 0 : a.noise.nu;
  return createUniform(ctx, 'sample_eps.params', [
    ['u32', a.M], ['u32', a.L], ['u32', k0], ['u32', k1], ['f32', nu], ['u32', a.stepOffset ?? 0], ['u32', 0], ['u32', 0],
  ]);
}

export function sampleEps(ctx: GpuContext, a: SamplerArgs): Dispatch {
  validateNoise(a.noise);
  if (a.eps.rows !== 1 || a.eps.cols !== a.M * a.L) fail(`sample_eps: eps holds ${a.eps.rows}x${a.eps.cols} values, expected 1x${a.M * a.L}`);
  const pipeline = ctx.pipeline('sample_eps', 'main', { MODE: MODE[a.noise.kind] });
  return {
    label: `sample_eps(${a.noise.kind})`,
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, [{ buffer: params(ctx, a) }, { buffer: a.state }, binding(a.eps)], 'sample_eps'),
    workgroups: [Math.ceil(a.M / 64), 1, 1],
  };
}

/** Raw Philox blocks for counters (row, step + stepOffset, L, 0), row < M: the test hook. */
export function philoxBits(ctx: GpuContext, a: Omit<SamplerArgs, 'eps' | 'noise'> & { bits: GPUBuffer }): Dispatch {
  const pipeline = ctx.pipeline('sample_eps', 'raw_bits');
  return {
    label: 'sample_eps.raw_bits',
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, { 0: { buffer: params(ctx, { ...a, noise: { kind: 'normal' }, eps: undefined as never }) }, 1: { buffer: a.state }, 3: { buffer: a.bits } }, 'raw_bits'),
    workgroups: [Math.ceil(a.M / 64), 1, 1],
  };
}
