// Gets a WebGPU device with the adapter's full buffer limits (the default device limits are
// far below what a 55,000-image training set needs) and describes the adapter it came from.
import { fail } from '../errors.ts';
import type { AdapterCaps } from '../tune/family.ts';

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
  /** optional features the kernel variants use, enabled on the device (src/tune/family.ts) */
  features?: string[];
  /** 'compatibility' for a WebGPU compatibility-mode adapter: how Chromium offers lavapipe (Dawn's
   *  GLES backend on ANGLE on Vulkan, src/node/chromium_adapter.ts); absent means core */
  featureLevel?: 'core' | 'compatibility';
  /** the adapter's subgroup size when it is fixed (min = max), else 0 */
  subgroupSize?: number;
  maxTextureDimension2D?: number;
  /** WGSL here reads storage textures (language feature readonly_and_readwrite_storage_textures) */
  storageTextureRead?: boolean;
}

/** Optional features some kernel variant uses: requested whenever the adapter has them. */
const VARIANT_FEATURES = ['subgroups'] as const;

/** The capabilities the kernel variants check, keyed by what identifies the adapter and driver. */
export function adapterCaps(a: AdapterDescription): AdapterCaps {
  const features = a.features ?? [];
  const subgroupSize = features.includes('subgroups') ? a.subgroupSize ?? 0 : 0;
  const key = [a.vendor, a.architecture, a.device, a.description, a.driver ?? 'browser', ...features, `sg${subgroupSize}`].join('|');
  return { key, features, subgroupSize, maxTextureDimension2D: a.maxTextureDimension2D ?? 8192, storageTextureRead: a.storageTextureRead === true, software: a.isSoftware };
}

export interface TvaeDevice {
  device: GPUDevice;
  adapter: AdapterDescription;
}

const HOW_TO_ENABLE =
  'In Chrome/Chromium WebGPU needs a secure context (https or localhost); headless Chromium needs ' +
  '--enable-unsafe-webgpu; on Linux without a GPU install Debian\'s chromium, which falls back to ' +
  'SwiftShader; in Node install the npm package "webgpu" and set VK_ICD_FILENAMES to a Vulkan driver.';

const isFallbackAdapter = (a: GPUAdapter): boolean => Boolean((a.info as { isFallbackAdapter?: boolean }).isFallbackAdapter);

/** The core adapter, unless it is only a fallback (SwiftShader) or missing and a compatibility-mode
 *  adapter that is not a fallback exists: that is how Chromium offers lavapipe
 *  (src/node/chromium_adapter.ts), about 2x faster here than SwiftShader. Anywhere else the second
 *  request returns the same fallback adapter or nothing, and the core one is kept. */
async function chooseAdapter(gpu: GPU): Promise<{ adapter: GPUAdapter | null; compatibility: boolean }> {
  const core = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (core && !isFallbackAdapter(core)) return { adapter: core, compatibility: false };
  const compat = await gpu.requestAdapter({ powerPreference: 'high-performance', featureLevel: 'compatibility' }).catch(() => null);
  return compat && !isFallbackAdapter(compat) ? { adapter: compat, compatibility: true } : { adapter: core, compatibility: false };
}

/** A compatibility-mode device starts with lower compute limits than a core one (128 invocations,
 *  16 KiB of workgroup memory, 4 storage buffers): the kernels need the adapter's real ones. */
const COMPAT_LIMITS = ['maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY', 'maxComputeWorkgroupSizeZ', 'maxComputeWorkgroupStorageSize', 'maxStorageTexturesPerShaderStage', 'maxSampledTexturesPerShaderStage', 'maxUniformBufferBindingSize'] as const;

export async function requestTvaeDevice(gpu: GPU | undefined): Promise<TvaeDevice> {
  if (!gpu) fail(`WebGPU is not available here (navigator.gpu is undefined). ${HOW_TO_ENABLE}`);
  const { adapter, compatibility } = await chooseAdapter(gpu);
  if (!adapter) fail(`No WebGPU adapter was found. ${HOW_TO_ENABLE}`);
  const hasTimestampQuery = adapter.features.has('timestamp-query');
  const features = VARIANT_FEATURES.filter((f) => adapter.features.has(f));
  const device = await adapter.requestDevice({
    requiredFeatures: [...(hasTimestampQuery ? ['timestamp-query' as const] : []), ...features],
    requiredLimits: {
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
      ...(compatibility ? Object.fromEntries(COMPAT_LIMITS.map((l) => [l, adapter.limits[l]])) : {}),
    },
  });
  const info = adapter.info;
  const sg = info as { subgroupMinSize?: number; subgroupMaxSize?: number };
  const isFallback = isFallbackAdapter(adapter);
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  return {
    device,
    adapter: {
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
      isFallback,
      ...(compatibility ? { featureLevel: 'compatibility' as const } : {}),
      isSoftware: isFallback || /swiftshader|llvmpipe|lavapipe|software/.test(text),
      hasTimestampQuery,
      maxBufferSize: device.limits.maxBufferSize,
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      features: [...features],
      subgroupSize: sg.subgroupMinSize && sg.subgroupMinSize === sg.subgroupMaxSize ? sg.subgroupMinSize : 0,
      maxTextureDimension2D: device.limits.maxTextureDimension2D,
      storageTextureRead: gpu.wgslLanguageFeatures?.has('readonly_and_readwrite_storage_textures') === true,
    },
  };
}
