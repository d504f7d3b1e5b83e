// The GPU worker in plain Node: Dawn through the npm package `webgpu`, no browser. Runs the same
// worker API (src/runtime/worker_api.ts) in-process, so training and evaluation are the same code
// as in the page. Used where there is no Chromium (a GPU server) or with TVAE_RUNTIME=node.
import { nodeKernelTable } from './tune_cache.ts';
import { fail, TvaeError } from '../errors.ts';
import { createGpuContext, type GpuContext } from '../gpu/context.ts';
import { adapterCaps, requestTvaeDevice, type AdapterDescription } from '../gpu/device.ts';
import { createWorkerApi } from '../runtime/worker_api.ts';
import { dawnInstance, noAdapterMessage } from './dawn_instance.ts';
import { readShaderLibrary } from './shader_files.ts';
import { quietSettle } from './quiet_wait.ts';
import type { GpuWorker, WorkerOptions } from './worker.ts';

export interface DawnDevice {
  device: GPUDevice;
  ctx: GpuContext;
  /** the adapter, with the Vulkan driver the runtime chose */
  adapter: AdapterDescription;
}

/** A fresh device (with its kernel context) from the process's one Dawn instance. */
export async function openDawnDevice(log?: (line: string) => void): Promise<DawnDevice> {
  const { gpu, driver } = await dawnInstance();
  if (!(await gpu.requestAdapter({ powerPreference: 'high-performance' }))) fail(noAdapterMessage(driver));
  let tvae;
  try {
    tvae = await requestTvaeDevice(gpu);
  } catch (e) {
    throw new TvaeError(`${e instanceof Error ? e.message : String(e)} (Node runtime, ${driver.name})`);
  }
  const { device } = tvae;
  device.addEventListener('uncapturederror', (e) => log?.(`WebGPU error: ${(e as GPUUncapturedErrorEvent).error.message}`));
  const adapter = { ...tvae.adapter, driver: driver.name };
  return { device, ctx: createGpuContext(device, readShaderLibrary(), adapterCaps(adapter), nodeKernelTable(), quietSettle), adapter };
}

export async function openDawnWorker(opts: WorkerOptions = {}): Promise<GpuWorker> {
  const { device, ctx, adapter } = await openDawnDevice(opts.log);
  const api = createWorkerApi(ctx, {
    async blob(name) {
      const b = opts.blobs?.get(name);
      if (!b) throw new TvaeError(`no data named ${name} was handed to the worker`);
      return b;
    },
    progress: (done, total) => opts.progress?.(done, total),
  });
  const fns = api as unknown as Record<string, (a: unknown) => Promise<unknown>>;
  return {
    adapter,
    runtime: 'node',
    async call<T>(fn: string, args: unknown = {}): Promise<T> {
      const f = fns[fn];
      if (!f) throw new TvaeError(`the worker has no function ${fn}`);
      return (await f(args)) as T;
    },
    async close() {
      // the device goes; the instance stays (dawn_instance.ts) for the next worker in this process
      device.destroy();
    },
  };
}
