// Packs a matrix buffer into an rgba32float texture for the texture-reading GEMM variants: 256
// texels a texture row, texel i = floats 4i .. 4i+3 of the matrix's binding, so the variants
// address texel i at (i % 256, i / 256). That is the buffer's bytes as they lie, rows of 4096
// bytes, so a DispatchEncoder (src/gpu/context.ts) packs with copyBufferToTexture between compute
// passes; inside a bare pass the pack is a dispatch of shaders/pack_texture.wgsl.
import { bindGroup, bufferRange, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, type GpuMatrix } from '../gpu/matrix.ts';

export const PACK_WIDTH = 256;
/** texels per pack workgroup: 64 invocations of 4 texels (shaders/pack_texture.wgsl) */
const GROUP_TEXELS = 256;

export const texelCount = (m: { allocRows: number; ld: number }): number => (m.allocRows * m.ld) / 4;

/** Why a matrix of `texels` texels cannot be packed on this device; undefined when it can. */
export function packUnfit(texels: number, maxTextureDimension2D: number): string | undefined {
  const rows = Math.ceil(texels / PACK_WIDTH);
  if (rows > maxTextureDimension2D) return `${texels} texels need a ${PACK_WIDTH}x${rows} texture, over maxTextureDimension2D ${maxTextureDimension2D}`;
  if (Math.ceil(texels / GROUP_TEXELS) > 65535) return `${texels} texels need more than 65535 pack workgroups`;
  return undefined;
}

export interface PackedMatrix {
  view: GPUTextureView;
  /** run before every dispatch that reads `view`: the matrix changes between steps */
  pack: Dispatch;
}

/** The buffer each pack dispatch copies from, so that packs of a buffer that stays put (a
 *  model's weights while it is evaluated) can be run once instead of before every use. */
const packSource = new WeakMap<Dispatch, GPUBuffer>();

/**
 * `dispatches` with the packs that copy from `source` taken out of their `pre` lists, and those
 * packs. Only for a `source` nothing in `dispatches` writes: run `packs` after each write to it
 * (their textures are the ones `dispatches` read), and `dispatches` read the same values as
 * before, without re-packing them every time.
 */
export function hoistPacks(dispatches: readonly Dispatch[], source: GPUBuffer): { dispatches: Dispatch[]; packs: Dispatch[] } {
  const packs: Dispatch[] = [];
  const out = dispatches.map((d) => {
    const pre = d.pre ?? [];
    const hoisted = pre.filter((p) => packSource.get(p) === source);
    if (hoisted.length === 0) return d;
    packs.push(...hoisted);
    return { ...d, pre: pre.filter((p) => packSource.get(p) !== source) };
  });
  return { dispatches: out, packs };
}

/** One texture and pack per matrix view (buffer, offset, size), shared by every variant that reads
 *  it: encodeDispatches then packs it once for the GEMMs of a step that read it in turn. */
const packed = new WeakMap<GPUBuffer, Map<string, PackedMatrix>>();

export function packedMatrix(ctx: GpuContext, m: GpuMatrix, label: string): PackedMatrix {
  const views = packed.get(m.buffer) ?? new Map<string, PackedMatrix>();
  packed.set(m.buffer, views);
  const key = `${m.offset}:${texelCount(m)}`;
  const known = views.get(key);
  if (known) return known;
  const made = makePacked(ctx, m, label);
  views.set(key, made);
  return made;
}

function makePacked(ctx: GpuContext, m: GpuMatrix, label: string): PackedMatrix {
  const texels = texelCount(m);
  const texture = ctx.device.createTexture({
    label: `${label}.texture`,
    size: [PACK_WIDTH, Math.max(1, Math.ceil(texels / PACK_WIDTH))],
    format: 'rgba32float',
    // COPY_DST: a DispatchEncoder packs by copyBufferToTexture; COPY_SRC: tests read packs back
    usage: GPUTextureUsage.STORAGE_BINDING | GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST | GPUTextureUsage.COPY_SRC,
  });
  const view = texture.createView();
  const pipeline = ctx.pipeline('pack_texture', 'main');
  const pack: Dispatch = {
    label: `pack_texture(${label})`,
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, [binding(m), view], `pack_texture(${label})`),
    workgroups: [Math.ceil(texels / GROUP_TEXELS), 1, 1],
    copyOf: bufferRange(binding(m)),
    texelCopy: { source: m.buffer, offset: m.offset, texels, rowTexels: PACK_WIDTH, texture },
  };
  packSource.set(pack, m.buffer);
  return { view, pack };
}
