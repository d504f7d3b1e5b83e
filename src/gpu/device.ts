// Gets a WebGPU device with the adapter's full buffer limits (the default device limits are
// far below what a 55,000-image training set needs) and describes the adapter it came from.
import { fail } from '../errors.ts';

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallback: boolean;
  /** true for software adapters (SwiftShader): the main job scales itself down there. */
  isSoftware: boolean;
  hasTimestampQuery: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  /** the Vulkan driver the plain-Node runtime chose (src/node/vulkan_driver.ts); absent in a browser */
  driver?: string;
}

export interface TvaeDevice {
  device: GPUDevice;
  adapter: AdapterDescription;
}

const HOW_TO_ENABLE =
  'In Chrome/Chromium WebGPU needs a secure context (https or localhost); headless Chromium needs ' +
  '--enable-unsafe-webgpu; on Linux without a GPU install Debian\'s chromium, which falls back to ' +
  'SwiftShader; in Node install the npm package "webgpu" and set VK_ICD_FILENAMES to a Vulkan driver.';

export async function requestTvaeDevice(gpu: GPU | undefined): Promise<TvaeDevice> {
  if (!gpu) fail(`WebGPU is not available here (navigator.gpu is undefined). ${HOW_TO_ENABLE}`);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) fail(`No WebGPU adapter was found. ${HOW_TO_ENABLE}`);
  const hasTimestampQuery = adapter.features.has('timestamp-query');
  const device = await adapter.requestDevice({
    requiredFeatures: hasTimestampQuery ? ['timestamp-query'] : [],
    requiredLimits: {
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
    },
  });
  const info = adapter.info;
  const isFallback = Boolean((info as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  return {
    device,
    adapter: {
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
      isFallback,
      isSoftware: isFallback || /swiftshader|llvmpipe|lavapipe|software/.test(text),
      hasTimestampQuery,
      maxBufferSize: device.limits.maxBufferSize,
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
    },
  };
}
