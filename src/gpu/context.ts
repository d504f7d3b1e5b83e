// The GPU context every kernel launcher takes: the device, the WGSL sources, the adapter's
// capabilities and tuned kernel choices (src/tune/), and a pipeline cache keyed by (shader, entry
// point, override constants, template parameters) so each variant compiles once.
import { fail } from '../errors.ts';
import { awaitAsIs, type Settle } from './settle.ts';
import type { AdapterCaps } from '../tune/family.ts';
import { emptyKernelTable, type KernelTable } from '../tune/table.ts';

/** WGSL sources by file name without extension, e.g. `gemm_xwt`. */
export type ShaderLibrary = Readonly<Record<string, string>>;

/** A template shader's expansion: `key` names the parameters (part of the cache key). */
export interface ShaderExpansion {
  key: string;
  expand(template: string): string;
}

export interface GpuContext {
  device: GPUDevice;
  /** what the adapter can do: variants that need more are never candidates (src/tune/family.ts) */
  caps: AdapterCaps;
  /** the kernel variants in use: forced (TVAE_KERNELS), tuned, else each family's fallback */
  kernels: KernelTable;
  pipeline(shader: string, entry: string, constants?: Record<string, number>, expansion?: ShaderExpansion): GPUComputePipeline;
  /** how this runtime waits on the GPU's promises (src/gpu/settle.ts): as they are, or blocked */
  settle: Settle;
}

/** Capabilities when the creator gave none: the plain WebGPU core, no optional features. */
export const CORE_CAPS: AdapterCaps = { key: 'core', features: [], subgroupSize: 0, maxTextureDimension2D: 8192 };

export function createGpuContext(device: GPUDevice, shaders: ShaderLibrary, caps: AdapterCaps = CORE_CAPS, kernels: KernelTable = emptyKernelTable(), settle: Settle = awaitAsIs): GpuContext {
  const modules = new Map<string, GPUShaderModule>();
  const pipelines = new Map<string, GPUComputePipeline>();
  // earlier runs' tuned choices for this adapter (a choice made in this process wins)
  if (kernels.store) kernels.choices = { ...kernels.store.load(caps.key), ...kernels.choices };
  return {
    device,
    settle,
    caps,
    kernels,
    pipeline(shader, entry, constants = {}, expansion) {
      const name = expansion ? `${shader}[${expansion.key}]` : shader;
      const key = `${name}:${entry}:${JSON.stringify(constants)}`;
      let p = pipelines.get(key);
      if (p) return p;
      let module = modules.get(name);
      if (!module) {
        const source = shaders[shader];
        if (source === undefined) fail(`no WGSL shader named "${shader}" in shaders/`);
        const code = expansion ? expansion.expand(source) : source;
        module = device.createShaderModule({ label: name, code });
        modules.set(name, module);
        moduleReads.set(module, readOnlyBindings(code));
      }
      p = device.createComputePipeline({
        label: key,
        layout: 'auto',
        compute: { module, entryPoint: entry, constants },
      });
      pipelineReads.set(p, moduleReads.get(module)!);
      pipelines.set(key, p);
      return p;
    },
  };
}

/** Resources in binding order (an array), or by binding number where an entry point skips some. */
export function bindGroup(
  ctx: GpuContext,
  pipeline: GPUComputePipeline,
  resources: GPUBindingResource[] | Record<number, GPUBindingResource>,
  label: string,
): GPUBindGroup {
  const entries = Array.isArray(resources)
    ? resources.map((resource, binding) => ({ binding, resource }))
    : Object.entries(resources).map(([binding, resource]) => ({ binding: Number(binding), resource }));
  const group = ctx.device.createBindGroup({ label, layout: pipeline.getBindGroupLayout(0), entries });
  const reads = pipelineReads.get(pipeline);
  boundRanges.set(group, entries.flatMap(({ binding, resource }) => {
    if (reads?.has(binding)) return []; // the shader only reads it: a copy of it stays good
    if ('buffer' in resource) return [bufferRange(resource)];
    return 'mapState' in resource ? [bufferRange({ buffer: resource as GPUBuffer })] : [];
  }));
  return group;
}

/**
 * The group-0 bindings a WGSL module declares read-only: `var<uniform>`, and `var<storage>` with
 * access `read` or none (WGSL's default), and not declared writable elsewhere in the module.
 * Anything else, or a declaration this does not parse, counts as written. Comments are dropped.
 */
export function readOnlyBindings(code: string): Set<number> {
  const reads = new Set<number>(), writes = new Set<number>();
  const text = code.replace(/\/\/[^\n]*/g, '');
  for (const m of text.matchAll(/((?:@\w+\s*\([^)]*\)\s*)+)var\s*<\s*(uniform|storage)\s*(?:,\s*(\w+)\s*)?>/g)) {
    const group = /@group\s*\(\s*(\d+)\s*\)/.exec(m[1]), binding = /@binding\s*\(\s*(\d+)\s*\)/.exec(m[1]);
    if (!group || !binding || group[1] !== '0') continue;
    (m[2] === 'uniform' || m[3] === undefined || m[3] === 'read' ? reads : writes).add(Number(binding[1]));
  }
  // two entry points may declare one binding differently: written by either is written
  return new Set([...reads].filter((b) => !writes.has(b)));
}

/** Read-only bindings per shader module and per pipeline made by a context's pipeline(). */
const moduleReads = new WeakMap<GPUShaderModule, Set<number>>();
const pipelineReads = new WeakMap<GPUComputePipeline, Set<number>>();

/** For pipelines made without a context (tests): declare which bindings the shader only reads. */
export function noteReadOnlyBindings(pipeline: GPUComputePipeline, code: string): void {
  pipelineReads.set(pipeline, readOnlyBindings(code));
}

/** A bound byte range of a buffer. */
export interface BufferRange {
  buffer: GPUBuffer;
  begin: number;
  end: number;
}

export function bufferRange(b: GPUBufferBinding): BufferRange {
  const begin = b.offset ?? 0;
  return { buffer: b.buffer, begin, end: b.size === undefined ? b.buffer.size : begin + b.size };
}

const overlaps = (a: BufferRange, b: BufferRange) => a.buffer === b.buffer && a.begin < b.end && b.begin < a.end;

/** The buffer ranges each bind group made by bindGroup() binds where its shader may write them
 *  (read-only bindings left out when the pipeline came from a context, readOnlyBindings):
 *  encodeDispatches re-runs a copy once a dispatch has bound its source range so. Ranges, not
 *  buffers: a model's weights are views of one buffer. */
const boundRanges = new WeakMap<GPUBindGroup, BufferRange[]>();

/** A compute dispatch prepared once at build time; the per-minibatch path only encodes it. */
export interface Dispatch {
  label: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: [number, number, number];
  /** dispatches that must run just before this one (the texture packs of a texture-reading variant) */
  pre?: readonly Dispatch[];
  /** set on a pure copy of this buffer range (a texture pack, src/kernels/texture_pack.ts): as a
   *  `pre` it runs once per encodeDispatches call until a dispatch binds the range again */
  copyOf?: BufferRange;
  /** set on a texture pack: the same copy as one copyBufferToTexture, which a DispatchEncoder
   *  does instead of the dispatch (between compute passes) */
  texelCopy?: TexelCopy;
}

/** Buffer bytes copied as they lie into rows of `rowTexels` rgba32float texels: texel i = bytes
 *  16i .. 16i + 15 of `source` at (i % rowTexels, i / rowTexels). rowTexels * 16 must be a multiple
 *  of 256 (copyBufferToTexture's bytesPerRow) and the source offset of 16. */
export interface TexelCopy {
  source: GPUBuffer;
  offset: number;
  texels: number;
  rowTexels: number;
  texture: GPUTexture;
}

/**
 * Compute passes opened on a command encoder as they are needed, for encodeDispatches: a texture
 * pack (`texelCopy`) ends the open pass and runs as copyBufferToTexture, which on lavapipe took
 * 0.06 ms where the pack kernel took 1.0 ms for a 500x784 matrix (a pass break costs ~5 us).
 * `end()` closes the last pass.
 */
export interface DispatchEncoder {
  encoder: GPUCommandEncoder;
  pass(): GPUComputePassEncoder;
  copy(c: TexelCopy): void;
  end(): void;
}

export function dispatchEncoder(encoder: GPUCommandEncoder): DispatchEncoder {
  let open: GPUComputePassEncoder | undefined;
  const end = () => {
    open?.end();
    open = undefined;
  };
  return {
    encoder,
    pass: () => (open ??= encoder.beginComputePass()),
    copy(c) {
      end();
      const whole = Math.floor(c.texels / c.rowTexels), rest = c.texels % c.rowTexels, bytesPerRow = 16 * c.rowTexels;
      if (whole > 0) encoder.copyBufferToTexture({ buffer: c.source, offset: c.offset, bytesPerRow, rowsPerImage: whole }, { texture: c.texture }, [c.rowTexels, whole]);
      if (rest > 0) encoder.copyBufferToTexture({ buffer: c.source, offset: c.offset + whole * bytesPerRow, bytesPerRow }, { texture: c.texture, origin: [0, whole] }, [rest, 1]);
    },
    end,
  };
}

const isEncoder = (t: GPUComputePassEncoder | DispatchEncoder): t is DispatchEncoder => 'copy' in t && 'encoder' in t;

/**
 * Encodes `dispatches` (each after its `pre`) into the pass, or into passes of a DispatchEncoder,
 * which runs texture packs as copies between them (a bare pass runs them as compute dispatches).
 * A `pre` copy (`copyOf`) that already
 * ran in this call is skipped while no dispatch since has bound its source range where it may
 * write (two GEMMs of a training step read the same activation or weight matrix: it is packed
 * once). Only within one call, where nothing but these dispatches can touch the buffers; a bind
 * group not made by bindGroup() is taken to write everything.
 */
export function encodeDispatches(target: GPUComputePassEncoder | DispatchEncoder, dispatches: readonly Dispatch[]): void {
  const fresh = new Set<Dispatch>();
  const encode = (d: Dispatch) => {
    for (const p of d.pre ?? []) if (!fresh.has(p)) encode(p);
    if (d.texelCopy && isEncoder(target)) {
      target.copy(d.texelCopy);
    } else {
      const pass = isEncoder(target) ? target.pass() : target;
      pass.setPipeline(d.pipeline);
      pass.setBindGroup(0, d.bindGroup);
      pass.dispatchWorkgroups(...d.workgroups);
    }
    const bound = boundRanges.get(d.bindGroup);
    for (const c of fresh) if (!bound || bound.some((r) => overlaps(r, c.copyOf!))) fresh.delete(c);
    if (d.copyOf) fresh.add(d);
  };
  for (const d of dispatches) encode(d);
}

/** Resolves once everything submitted so far has run, waiting the runtime's way. */
export function queueDone(ctx: GpuContext): Promise<void> {
  return ctx.settle(ctx.device.queue.onSubmittedWorkDone());
}

/** Encodes dispatches (texture packs as copies between compute passes) and submits them. Used by
 *  tests and one-off work. */
export function runDispatches(ctx: GpuContext, dispatches: readonly Dispatch[]): void {
  const enc = ctx.device.createCommandEncoder();
  const run = dispatchEncoder(enc);
  encodeDispatches(run, dispatches);
  run.end();
  ctx.device.queue.submit([enc.finish()]);
}
