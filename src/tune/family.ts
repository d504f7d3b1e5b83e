// A kernel family: one computation (e.g. gemm_xwt) with several WGSL variants that give the same
// result within the family's test tolerance. Each variant says when it cannot run (adapter
// features, limits, the shape); only fitting variants are ever built, tuned or forced.
import type { Dispatch, GpuContext } from '../gpu/context.ts';
import type { GpuMatrix } from '../gpu/matrix.ts';

/** What the adapter offers, as far as the variants care; `key` keys the tuning cache. */
export interface AdapterCaps {
  /** adapter vendor, architecture, device, description and the features the variants use */
  key: string;
  /** optional features enabled on the device */
  features: readonly string[];
  /** the subgroup size when the device has subgroups and it is fixed (min = max), else 0 */
  subgroupSize: number;
  maxTextureDimension2D: number;
  /** a software adapter that runs on the CPU (lavapipe, SwiftShader): src/tune/cpu_adapter.ts */
  software?: boolean;
}

/** Sizes of one launch: M rows of the batch, N and K as in the family's shape comment. */
export interface GemmShape {
  M: number;
  N: number;
  K: number;
}

export const shapeKey = (s: GemmShape): string => `${s.M}x${s.N}x${s.K}`;

export interface Variant<Args> {
  name: string;
  /** why this variant cannot run on this adapter at this shape; undefined when it can */
  unfit(caps: AdapterCaps, shape: GemmShape): string | undefined;
  /** runs everywhere, but the tuner times it only on GPUs (src/tune/cpu_adapter.ts); forcing it
   *  (TVAE_KERNELS, tests) works on any adapter */
  gpuOnly?: boolean;
  /** builds the dispatch (arguments already validated by the family's launcher) */
  build(ctx: GpuContext, args: Args, label: string): Dispatch;
}

/** Arguments for a tuning run at one shape: seeded inputs, and the outputs a variant writes. */
export interface Probe<Args> {
  args: Args;
  outputs: GpuMatrix[];
  /** (batch / output) matrices of the probe, destroyed after tuning */
  buffers: GPUBuffer[];
}

export interface Family<Args> {
  name: string;
  /** today's kernel: every adapter runs it, and the tuner checks the others against it */
  fallback: string;
  variants: readonly Variant<Args>[];
  /** the launcher, with a variant forced (shape checks included) */
  launch(ctx: GpuContext, args: Args, variant?: string): Dispatch;
  probe(ctx: GpuContext, shape: GemmShape, seed: number): Probe<Args>;
}
