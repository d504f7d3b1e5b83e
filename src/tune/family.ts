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
  /** WGSL has the readonly_and_readwrite_storage_textures language feature (storage.rR variants) */
  storageTextureRead?: boolean;
  /** a software adapter that runs on the CPU (lavapipe, SwiftShader): src/tune/cpu_adapter.ts */
  software?: boolean;
}

/** Sizes of one launch: M rows of the batch, N and K as in the family's shape comment. */
export interface GemmShape {
  M: number;
  N: number;
  K: number;
}

/** Any other family's launch size: its integers in the order the family's `dims.names` gives
 *  (a conv pass: src/kernels/conv_family.ts). Keys and records hold these numbers, as for a GEMM. */
export interface DimsShape {
  dims: readonly number[];
}

export type KernelShape = GemmShape | DimsShape;

export const shapeDims = (s: KernelShape): number[] => ('dims' in s ? [...s.dims] : [s.M, s.N, s.K]);
export const shapeKey = (s: KernelShape): string => shapeDims(s).join('x');

export interface Variant<Args, S extends KernelShape = GemmShape> {
  name: string;
  /** why this variant cannot run on this adapter at this shape; undefined when it can */
  unfit(caps: AdapterCaps, shape: S): string | undefined;
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

export interface Family<Args, S extends KernelShape = GemmShape> {
  name: string;
  /** today's kernel: every adapter runs it, and the tuner checks the others against it */
  fallback: string;
  variants: readonly Variant<Args, S>[];
  /** the launcher, with a variant forced (shape checks included) */
  launch(ctx: GpuContext, args: Args, variant?: string): Dispatch;
  probe(ctx: GpuContext, shape: S, seed: number): Probe<Args>;
  /** a family whose shape is not a GEMM's M, N, K: the names of its key's numbers, the shape they
   *  make (a record's keys are checked with it), and its multiply-adds (the tuner skips tiny work) */
  dims?: { names: readonly string[]; shape(dims: readonly number[]): S; work(shape: S): number };
}

/** The shape a family's key numbers make (a GEMM's when the family says nothing). */
export function familyShape(family: Family<unknown, KernelShape>, dims: readonly number[]): KernelShape {
  return family.dims ? family.dims.shape(dims) : { M: dims[0], N: dims[1], K: dims[2] };
}

export const familyArity = (family: Family<unknown, KernelShape>): number => family.dims?.names.length ?? 3;

/** Multiply-adds of one launch (the tuner leaves launches below its threshold on the fallback). */
export function familyWork(family: Family<unknown, KernelShape>, shape: KernelShape): number {
  if (family.dims) return family.dims.work(shape);
  const s = shape as GemmShape;
  return s.M * s.N * s.K;
}
