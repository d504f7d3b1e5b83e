// The GPU context every kernel launcher takes: the device, the WGSL sources, and a pipeline
// cache keyed by (shader, entry point, override constants) so each variant compiles once.
import { fail } from '../errors.ts';
import { awaitAsIs, type Settle } from './settle.ts';

/** WGSL sources by file name without extension, e.g. `gemm_xwt`. */
export type ShaderLibrary = Readonly<Record<string, string>>;

export interface GpuContext {
  device: GPUDevice;
  pipeline(shader: string, entry: string, constants?: Record<string, number>): GPUComputePipeline;
  /** how this runtime waits on the GPU's promises (src/gpu/settle.ts): as they are, or blocked */
  settle: Settle;
}

export function createGpuContext(device: GPUDevice, shaders: ShaderLibrary, settle: Settle = awaitAsIs): GpuContext {
  const modules = new Map<string, GPUShaderModule>();
  const pipelines = new Map<string, GPUComputePipeline>();
  return {
    device,
    settle,
    pipeline(shader, entry, constants = {}) {
      const key = `${shader}:${entry}:${JSON.stringify(constants)}`;
      let p = pipelines.get(key);
      if (p) return p;
      let module = modules.get(shader);
      if (!module) {
        const code = shaders[shader];
        if (code === undefined) fail(`no WGSL shader named "${shader}" in shaders/`);
        module = device.createShaderModule({ label: shader, code });
        modules.set(shader, module);
      }
      p = device.createComputePipeline({
        label: key,
        layout: 'auto',
        compute: { module, entryPoint: entry, constants },
      });
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
  return ctx.device.createBindGroup({ label, layout: pipeline.getBindGroupLayout(0), entries });
}

/** A compute dispatch prepared once at build time; the per-minibatch path only encodes it. */
export interface Dispatch {
  label: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: [number, number, number];
}

export function encodeDispatches(pass: GPUComputePassEncoder, dispatches: readonly Dispatch[]): void {
  for (const d of dispatches) {
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.bindGroup);
    pass.dispatchWorkgroups(...d.workgroups);
  }
}

/** Resolves once everything submitted so far has run, waiting the runtime's way. */
export function queueDone(ctx: GpuContext): Promise<void> {
  return ctx.settle(ctx.device.queue.onSubmittedWorkDone());
}

/** Encodes dispatches in one compute pass and submits them. Used by tests and one-off work. */
export function runDispatches(ctx: GpuContext, dispatches: readonly Dispatch[]): void {
  const enc = ctx.device.createCommandEncoder();
  const pass = enc.beginComputePass();
  encodeDispatches(pass, dispatches);
  pass.end();
  ctx.device.queue.submit([enc.finish()]);
}
