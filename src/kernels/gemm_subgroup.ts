// The subgroup + texture variants of the three GEMM forms (shaders/gemm_*.subgroup.wgsl), for
// CPU-SIMD adapters: one subgroup per workgroup, ROWS rows x one vec4 column per invocation,
// inputs packed into rgba32float textures in the same compute pass (texture_pack.ts).
// Why this shape wins on llvmpipe: /work/shared/webgpu.md, "lavapipe's code generation".
// Two ways to read the packed textures, one template: `subgroup.rR` binds them as sampled
// textures (textureLoad with a mip level), `storage.rR` as read-only storage textures. On
// llvmpipe (Mesa 25.0.7) a texel fetch is an out-of-line call; the storage-image one has no mip
// level to clamp and measured ~1.4x faster per CPU-second for the whole GEMM (500x400x784,
// 14.3 -> 10.3 ms); on SwiftShader the sampled form stays ~1.25x faster. Only storage.r64 is a
// candidate: r32 ran 3-6% slower at the reference shapes and r64 compiles once per form anyway.
// Read-only storage textures need the WGSL language feature readonly_and_readwrite_storage_textures
// (AdapterCaps.storageTextureRead).
// Tried on lavapipe and left out (gemm_xwt, CPU-seconds per GEMM against storage.r64, ratios from
// one run each, the 2-core machine under load from other work, 2026-12-03):
// - two vec4 columns per lane (32 rows: same accumulators, half the broadcasts per FLOP):
//   1.03-1.08x with no padding (512x512x784), 0.99-1.12x at 500x400x784 and 500x784x400, where 16
//   columns a workgroup pad N/4 = 100 or 196 to 112 or 208; 64 rows x 2 columns 0.77-0.90x. Not
//   worth its cold compile in the tuner (5.7 s here; 32 s for 64 rows).
// - the k loop unrolled by 2 (one accumulator update per two texels): 0.80-1.04x (64 rows),
//   0.95-1.02x (32 rows); two rows' FMAs interleaved component by component: 0.69-0.89x.
// - llvmpipe at 4 lanes (LP_NATIVE_VECTOR_WIDTH=128): ~1.7x the CPU time.
// Where the time goes (probes that give wrong results, timing only): fixing the W texels' address
// 1.05x, the X texels' 1.07x, each lane's own X + a vec4 add in place of subgroupBroadcast 1.10x;
// the rest is the multiply-adds with their accumulator and W-operand loads from the stack.
// The x86 code of storage.r64's k loop (GALLIVM_DEBUG=asm with MESA_SHADER_CACHE_DISABLE=true
// prints it), per k step for 64 rows: 1024 vmulps + 1024 vaddps, 258 vblendvps (every
// accumulator blended under the lane mask), ~220 vandnps + ~450 shuffles (the broadcasts: about 3
// ymm ops per X component), ~1440 stack loads, 267 stores. The shuffle/FP ports weigh as much as
// the loads, so cutting loads at the price of more broadcasts loses (2026-12-03, same method):
// - rows in two passes per k step (all rows' .xy half, then all .zw, accumulators as two vec2):
//   0.87-0.94x at the four real shapes (500x400x784, 500x784x400, 500x128x400, 500x400x128).
//   LLVM merged the two passes' identical broadcasts and spilled them (stores 267 -> 520);
//   forcing two broadcasts (the second pass from -X times -W, same result): 0.70-0.71x (shuffles
//   doubled, stack loads 1440 -> ~1200). Four one-component passes: 0.86-1.02x over two runs; two
//   passes at 32 rows: 0.97x.
// - X read straight from its storage buffer at a workgroup-uniform index (no broadcast, no X
//   texture): 0.13x. llvmpipe gathers it lane by lane inside the loop (not tried: a uniform
//   buffer, which binds at most 64 KiB here against 1.5 MiB of X at 500x784).
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, ceil4, createUniform, type GpuMatrix } from '../gpu/matrix.ts';
import type { AdapterCaps, GemmShape, Variant } from '../tune/family.ts';
import { packedMatrix, packUnfit, texelCount } from './texture_pack.ts';
import { expandTemplate, type TexelRead } from './wgsl_template.ts';

export interface XwtArgs { x: GpuMatrix; w: GpuMatrix; b: GpuMatrix; y: GpuMatrix; relu: boolean; slope: number }
export interface DywArgs { dy: GpuMatrix; w: GpuMatrix; dx: GpuMatrix; act?: GpuMatrix; slope: number }
export interface DytxArgs { dy: GpuMatrix; x: GpuMatrix; dw: GpuMatrix; db: GpuMatrix }

export function gemmDims(ctx: GpuContext, label: string, M: number, N: number, K: number): GPUBuffer {
  return createUniform(ctx, `${label}.dims`, [['u32', M], ['u32', ceil4(N) / 4], ['u32', ceil4(K) / 4], ['u32', 0]]);
}

/** gemm_xwt.subgroup's Dims: the activation flag and slope ride along as uniforms. */
function flaggedDims(ctx: GpuContext, label: string, M: number, N: number, K: number, flag: boolean, slope: number): GPUBuffer {
  return createUniform(ctx, `${label}.dims`, [['u32', M], ['u32', ceil4(N) / 4], ['u32', ceil4(K) / 4], ['u32', flag ? 1 : 0], ['f32', slope]]);
}

/** Texels of the matrices a form packs, from its shape alone (the tuner asks before building). */
type Packs = (s: GemmShape) => number[];

function subgroupUnfit(rows: number, read: TexelRead, packs: Packs, splits: (lanes: number) => boolean) {
  return (caps: AdapterCaps, shape: GemmShape): string | undefined => {
    if (!caps.features.includes('subgroups')) return 'the device has no subgroups feature';
    if (read === 'storage' && !caps.storageTextureRead) return 'WGSL here lacks readonly_and_readwrite_storage_textures (read-only storage textures)';
    const lanes = caps.subgroupSize;
    if (lanes < 4) return lanes === 0 ? 'the subgroup size is not fixed (subgroupMinSize != subgroupMaxSize)' : `subgroup size ${lanes} < 4`;
    if (!splits(lanes)) return `${rows} rows do not split over ${lanes} lanes`;
    for (const t of packs(shape)) {
      const why = packUnfit(t, caps.maxTextureDimension2D);
      if (why) return why;
    }
    return undefined;
  };
}

function expansion(rows: number, lanes: number, loads: number, read: TexelRead) {
  return { key: `r${rows}l${lanes}${read}`, expand: (src: string) => expandTemplate(src, { ROWS: rows, LANES: lanes, LOADS: loads, TEXTURE: read }) };
}

/** `subgroup.r64` (sampled textures) or `storage.r64` (read-only storage textures). */
const variantName = (rows: number, read: TexelRead) => `${read === 'sampled' ? 'subgroup' : 'storage'}.r${rows}`;

const texels = (rows: number, cols: number) => texelCount({ allocRows: rows, ld: ceil4(cols) });

export function xwtSubgroup(rows: number, read: TexelRead = 'sampled'): Variant<XwtArgs> {
  const loads = (lanes: number) => rows / lanes;
  return {
    name: variantName(rows, read),
    unfit: subgroupUnfit(rows, read, (s) => [texels(s.M, s.K), texels(ceil4(s.N), s.K)], (l) => rows % l === 0),
    build(ctx, a, label): Dispatch {
      const lanes = ctx.caps.subgroupSize;
      const pipeline = ctx.pipeline('gemm_xwt.subgroup', 'main', {}, expansion(rows, lanes, loads(lanes), read));
      const M = a.x.rows, N = a.w.rows, K = a.x.cols;
      const x = packedMatrix(ctx, a.x, `${label}.x`), w = packedMatrix(ctx, a.w, `${label}.w`);
      return {
        label,
        pipeline,
        bindGroup: bindGroup(ctx, pipeline, [{ buffer: flaggedDims(ctx, label, M, N, K, a.relu, a.slope) }, x.view, w.view, binding(a.b), binding(a.y)], label),
        workgroups: [Math.ceil(ceil4(N) / 4 / lanes), Math.ceil(M / rows), 1],
        pre: [x.pack, w.pack],
      };
    },
  };
}

export function dywSubgroup(rows: number, read: TexelRead = 'sampled'): Variant<DywArgs> {
  const loads = (lanes: number) => rows / lanes;
  return {
    name: variantName(rows, read),
    unfit: subgroupUnfit(rows, read, (s) => [texels(s.M, s.N), texels(ceil4(s.N), s.K)], (l) => rows % l === 0),
    build(ctx, a, label): Dispatch {
      const lanes = ctx.caps.subgroupSize;
      const pipeline = ctx.pipeline('gemm_dyw.subgroup', 'main', { MASK: a.act ? 1 : 0, ...(a.slope ? { SLOPE: a.slope } : {}) }, expansion(rows, lanes, loads(lanes), read));
      const M = a.dy.rows, N = a.w.rows, K = a.w.cols;
      const dy = packedMatrix(ctx, a.dy, `${label}.dy`), w = packedMatrix(ctx, a.w, `${label}.w`);
      return {
        label,
        pipeline,
        bindGroup: bindGroup(ctx, pipeline, [{ buffer: gemmDims(ctx, label, M, N, K) }, dy.view, w.view, binding(a.act ?? a.dy), binding(a.dx)], label),
        workgroups: [Math.ceil(ceil4(K) / 4 / lanes), Math.ceil(M / rows), 1],
        pre: [dy.pack, w.pack],
      };
    },
  };
}

export function dytxSubgroup(rows: number, read: TexelRead = 'sampled'): Variant<DytxArgs> {
  const loads = (lanes: number) => Math.ceil(rows / 4 / lanes);
  return {
    name: variantName(rows, read),
    unfit: subgroupUnfit(rows, read, (s) => [texels(s.M, s.N), texels(s.M, s.K)], () => rows % 4 === 0),
    build(ctx, a, label): Dispatch {
      const lanes = ctx.caps.subgroupSize;
      const pipeline = ctx.pipeline('gemm_dytx.subgroup', 'main', {}, expansion(rows, lanes, loads(lanes), read));
      const M = a.dy.rows, N = a.dy.cols, K = a.x.cols;
      const dy = packedMatrix(ctx, a.dy, `${label}.dy`), x = packedMatrix(ctx, a.x, `${label}.x`);
      return {
        label,
        pipeline,
        bindGroup: bindGroup(ctx, pipeline, [{ buffer: gemmDims(ctx, label, M, N, K) }, dy.view, x.view, binding(a.dw), binding(a.db)], label),
        workgroups: [Math.ceil(ceil4(K) / 4 / lanes), Math.ceil(ceil4(N) / rows), 1],
        pre: [dy.pack, x.pack],
      };
    },
  };
}
