// The process's one Dawn instance. Dawn crashes or hangs when an instance is dropped (SIGSEGV in
// CallbackTaskManager::Flush, std::system_error aborts: /work/shared/webgpu.md), so the instance is
// created once, after the Vulkan driver is chosen, kept in this module for the life of the process,
// and every worker opened later in the process gets its device from it.
import { tmpdir } from 'node:os';
import { fail, TvaeError } from '../errors.ts';
import { chooseVulkanDriver, libraryPathHas, vulkanEnv, type VulkanDriver } from './vulkan_driver.ts';

export interface DawnInstance {
  gpu: GPU;
  driver: VulkanDriver;
}

let instance: Promise<DawnInstance> | undefined;

export function dawnInstance(): Promise<DawnInstance> {
  instance ??= createInstance();
  return instance;
}

async function createInstance(): Promise<DawnInstance> {
  const driver = chooseVulkanDriver();
  // The dynamic linker reads LD_LIBRARY_PATH once, at process start: setting it here would not
  // reach the driver's dlopen. The CLIs relaunch themselves with it (src/node/relaunch.ts).
  const missing = driver.libraryDirs.filter((d) => !libraryPathHas(process.env, d));
  if (missing.length) {
    fail(`${driver.name} needs LD_LIBRARY_PATH=${missing.join(':')} set before node starts (the CLIs and npm test do this themselves; started by hand, prefix the command with it)`);
  }
  Object.assign(process.env, vulkanEnv(driver));
  process.env.XDG_RUNTIME_DIR ??= tmpdir(); // the loader warns and Dawn may fail without one
  let webgpu: typeof import('webgpu');
  try {
    webgpu = await import('webgpu');
  } catch (e) {
    throw new TvaeError(`the Node runtime needs the npm package "webgpu" (npm ci installs it): ${(e as Error).message}`);
  }
  Object.assign(globalThis, webgpu.globals); // GPUBufferUsage, GPUMapMode … as in a browser
  return { gpu: webgpu.create([]), driver };
}

/** Why the chosen driver gave no adapter, and what to try instead (no second instance is made). */
export function noAdapterMessage(driver: VulkanDriver): string {
  const loader = 'Dawn needs the Vulkan loader libvulkan.so.1 (apt-get install libvulkan1)';
  switch (driver.kind) {
    case 'gpu':
      return `${driver.name} is installed and its device is present, but it gave no WebGPU adapter (is the GPU's user-space driver complete and visible to this process? ${loader}); TVAE_ADAPTER=lavapipe or TVAE_ADAPTER=swiftshader uses a software adapter instead`;
    case 'lavapipe':
      return `${driver.name} gave no WebGPU adapter (${loader}); run bash scripts/setup.sh again, or use TVAE_ADAPTER=swiftshader`;
    case 'swiftshader':
      return `${driver.name} gave no WebGPU adapter (${loader})`;
    case 'environment':
      return `${driver.name} gave no WebGPU adapter (${loader}); unset it to let tvae choose, or set TVAE_ADAPTER=gpu|lavapipe|swiftshader`;
  }
}
