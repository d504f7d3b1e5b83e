// The GPU worker in plain Node: Dawn through the npm package `webgpu`, no browser. Runs the same
// worker API (src/runtime/worker_api.ts) in-process, so training and evaluation are the same code
// as in the page. Used where there is no Chromium (a GPU server) or with TVAE_RUNTIME=node.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { TvaeError } from '../errors.ts';
import { createGpuContext } from '../gpu/context.ts';
import { requestTvaeDevice } from '../gpu/device.ts';
import { createWorkerApi } from '../runtime/worker_api.ts';
import { readShaderLibrary } from './shader_files.ts';
import type { GpuWorker, WorkerOptions } from './worker.ts';

/** Chromium's SwiftShader Vulkan driver: the software fallback when no GPU driver is installed. */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** The installed Vulkan drivers first (a GPU); where none gives an adapter (no GPU: Mesa's lavapipe
 *  lacks a feature Dawn needs), SwiftShader. The loader reads VK_ICD_FILENAMES per Dawn instance. */
async function requestDevice(webgpu: typeof import('webgpu')) {
  process.env.XDG_RUNTIME_DIR ??= tmpdir();
  const userChoice = Boolean(process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES);
  const first = await webgpu.create([]).requestAdapter({ powerPreference: 'high-performance' });
  if (!first && !userChoice && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  return requestTvaeDevice(webgpu.create([]));
}

export async function openDawnWorker(opts: WorkerOptions = {}): Promise<GpuWorker> {
  let webgpu: typeof import('webgpu');
  try {
    webgpu = await import('webgpu');
  } catch (e) {
    throw new TvaeError(`the Node runtime needs the npm package "webgpu" (npm ci installs it): ${(e as Error).message}`);
  }
  Object.assign(globalThis, webgpu.globals); // GPUBufferUsage, GPUMapMode … as in a browser
  let tvae;
  try {
    tvae = await requestDevice(webgpu);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new TvaeError(`${why} (Node runtime: Dawn needs libvulkan.so.1 — apt-get install libvulkan1 — and a Vulkan driver; without a GPU it uses ${SWIFTSHADER_ICD} from Debian's chromium)`);
  }
  const { device, adapter } = tvae;
  device.addEventListener('uncapturederror', (e) => opts.log?.(`WebGPU error: ${(e as GPUUncapturedErrorEvent).error.message}`));
  const api = createWorkerApi(createGpuContext(device, readShaderLibrary()), {
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
      device.destroy();
    },
  };
}
