// The workgroup-tiled, register-blocked variants of the three GEMM forms
// (shaders/gemm_*.tiled.wgsl), for GPUs: a workgroup of 16x16 invocations computes a tile of the
// output from slices of both inputs staged in workgroup memory, each invocation a TM x (4 TN4)
// block held in registers, the reduction stepped BK at a time between two barriers. TF.js's packed
// vec4 matmul has this structure at 32x32 (8x8 invocations of 4x4); the SGEMM write-ups for big
// GPUs go to 64x64 and 128x128 tiles: every storage load is a vec4 shared by a whole tile, and each
// workgroup-memory read feeds TM or 4 TN4 FMAs. Two tiles, as GPUs differ in which wins: 64x64 with 4x4 per invocation (more
// workgroups, fewer registers: the safer one on small shapes and smaller GPUs) and 128x128 with
// 8x8 (twice the FMAs per workgroup-memory read: the better one on large shapes of big GPUs).
// They run on every adapter (tests force them on both software adapters), but the tuner does not
// time them on CPU adapters, where barriers are coroutine switches (src/tune/cpu_adapter.ts).
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, ceil4, createUniform } from '../gpu/matrix.ts';
import type { Variant } from '../tune/family.ts';
import { gemmDims, type DytxArgs, type DywArgs, type XwtArgs } from './gemm_subgroup.ts';

/** One tile configuration: rows (TM) and vec4 columns (TN4) per invocation, and the reduction step. */
export interface TileConfig {
  name: string;
  TM: number;
  TN4: number;
  BK: number;
}

/** 16x16 invocations each: BM = 16 TM rows, 64 TN4 columns; each invocation loads one vec4 of each
 *  input slice per step (BM * BK / 4 = 256); workgroup memory 8 KiB, within WebGPU's 16 KiB floor. */
export const TILES: readonly TileConfig[] = [
  { name: 'tiled.64', TM: 4, TN4: 1, BK: 16 },
  { name: 'tiled.128', TM: 8, TN4: 2, BK: 8 },
];

const WG = 16; // invocations per workgroup side
const fits = (): undefined => undefined; // WebGPU's core limits cover it: 256 invocations, 8 KiB

/** The constants filled into a template; each `$NAME` must be replaced, or the build fails. */
export function expandTiled(src: string, t: TileConfig): string {
  const out = src.replaceAll('$TM', `${t.TM}u`).replaceAll('$TN4', `${t.TN4}u`).replaceAll('$BK', `${t.BK}u`);
  const left = out.match(/\$\w+/);
  if (left) fail(`gemm tiled template: unknown token ${left[0]}`);
  return out;
}

/** Dims of the xwt and dyw templates: the activation (or mask) flag and slope are uniforms, so
 *  each tile compiles once per form (the base kernels' overrides would make three pipelines). */
function flaggedDims(ctx: GpuContext, label: string, M: number, N: number, K: number, flag: boolean, slope: number): GPUBuffer {
  return createUniform(ctx, `${label}.dims`, [['u32', M], ['u32', ceil4(N) / 4], ['u32', ceil4(K) / 4], ['u32', flag ? 1 : 0], ['f32', slope]]);
}

const expansion = (t: TileConfig) => ({ key: `${t.TM}x${t.TN4}x${t.BK}`, expand: (src: string) => expandTiled(src, t) });

/** A tiled variant of one form: its shader, and per launch the dims uniform, the bindings after it
 *  and the output's extent in rows and vec4 columns (one workgroup per WG TM x WG TN4 block). */
function tiledVariant<A>(t: TileConfig, shader: string, launch: (ctx: GpuContext, a: A, label: string) => { dims: GPUBuffer; bindings: GPUBufferBinding[]; rows: number; cols4: number }): Variant<A> {
  return {
    name: t.name,
    unfit: fits,
    gpuOnly: true,
    build(ctx, a, label): Dispatch {
      const pipeline = ctx.pipeline(shader, 'main', {}, expansion(t));
      const { dims, bindings, rows, cols4 } = launch(ctx, a, label);
      return {
        label,
        pipeline,
        bindGroup: bindGroup(ctx, pipeline, [{ buffer: dims }, ...bindings], label),
        workgroups: [Math.ceil(cols4 / (WG * t.TN4)), Math.ceil(rows / (WG * t.TM)), 1],
      };
    },
  };
}

export const xwtTiled = (t: TileConfig): Variant<XwtArgs> =>
  tiledVariant<XwtArgs>(t, 'gemm_xwt.tiled', (ctx, a, label) => {
    const M = a.x.rows, N = a.w.rows, K = a.x.cols;
    return { dims: flaggedDims(ctx, label, M, N, K, a.relu, a.slope), bindings: [binding(a.x), binding(a.w), binding(a.b), binding(a.y)], rows: M, cols4: ceil4(N) / 4 };
  });

export const dywTiled = (t: TileConfig): Variant<DywArgs> =>
  tiledVariant<DywArgs>(t, 'gemm_dyw.tiled', (ctx, a, label) => {
    const M = a.dy.rows, N = a.w.rows, K = a.w.cols;
    // without a mask the shader never reads binding 3; dY (read-only, never dX) fills the slot
    return { dims: flaggedDims(ctx, label, M, N, K, a.act !== undefined, a.slope), bindings: [binding(a.dy), binding(a.w), binding(a.act ?? a.dy), binding(a.dx)], rows: M, cols4: ceil4(K) / 4 };
  });

// dW is (N, K): the output's rows are the layer's outputs, padded to whole vec4s as the shader reads them
export const dytxTiled = (t: TileConfig): Variant<DytxArgs> =>
  tiledVariant<DytxArgs>(t, 'gemm_dytx.tiled', (ctx, a, label) => {
    const M = a.dy.rows, N = a.dy.cols, K = a.x.cols;
    return { dims: gemmDims(ctx, label, M, N, K), bindings: [binding(a.dy), binding(a.x), binding(a.dw), binding(a.db)], rows: ceil4(N), cols4: ceil4(K) / 4 };
  });

export const xwtTiledVariants = TILES.map(xwtTiled);
export const dywTiledVariants = TILES.map(dywTiled);
export const dytxTiledVariants = TILES.map(dytxTiled);
