// Page side of the headless harness: exposes async functions to Node as `window.tvaeApi`, and
// announces the adapter (or why there is none) as `window.tvaeReady`.
import { pageKernelTable } from './tune_store.ts';
import { decode, encode } from '../codec.ts';
import { createGpuContext, type GpuContext } from '../gpu/context.ts';
import { adapterCaps, requestTvaeDevice, type AdapterDescription } from '../gpu/device.ts';
import { shaderLibrary } from './shaders.ts';

type Api = Record<string, (args: never) => unknown>;

declare global {
  interface Window {
    tvaeApi: Record<string, (args: unknown) => Promise<unknown>>;
    tvaeReady: { ok: boolean; adapter?: AdapterDescription; error?: string };
  }
}

export function exposeApi(fns: Api): void {
  window.tvaeApi = Object.fromEntries(
    Object.entries(fns).map(([name, fn]) => [name, async (args: unknown) => encode(await fn(decode(args) as never))]),
  );
}

/** Gets the device and a kernel context, or publishes the reason it could not. */
export async function startPage(): Promise<{ ctx: GpuContext; adapter: AdapterDescription } | undefined> {
  try {
    const { device, adapter } = await requestTvaeDevice(navigator.gpu);
    device.lost.then((info) => console.error(`WebGPU device lost: ${info.message}`));
    device.addEventListener('uncapturederror', (e) => console.error(`WebGPU error: ${(e as GPUUncapturedErrorEvent).error.message}`));
    window.tvaeReady = { ok: true, adapter };
    return { ctx: createGpuContext(device, shaderLibrary, adapterCaps(adapter), pageKernelTable()), adapter };
  } catch (e) {
    window.tvaeReady = { ok: false, error: e instanceof Error ? e.message : String(e) };
    return undefined;
  }
}
