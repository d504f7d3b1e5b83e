// The tables page's GPU worker: a dedicated module Worker that owns one device and serves the same
// worker API as the CLI's runtimes (src/runtime/worker_api.ts: tableInit, runEpoch, exportState,
// tableImpute), so the page trains with exactly the code `npm run impute` runs. The page starts one
// per prior and trains both side by side; its main thread only paints.
/// <reference lib="webworker" />
import { createGpuContext } from '../../gpu/context.ts';
import { requestTvaeDevice } from '../../gpu/device.ts';
import { createWorkerApi } from '../../runtime/worker_api.ts';
import { shaderLibrary } from '../shaders.ts';

declare const self: DedicatedWorkerGlobalScope;

export type TableWorkerIn = { id: number; fn: string; args: unknown };
export type TableWorkerOut =
  | { type: 'ready'; adapter: import('../../gpu/device.ts').AdapterDescription }
  | { type: 'fatal'; message: string }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

const text = (e: unknown) => (e instanceof Error ? (e.name === 'TvaeError' ? e.message : `${e.name}: ${e.message}`) : String(e));

try {
  const { device, adapter } = await requestTvaeDevice(navigator.gpu);
  const api = createWorkerApi(createGpuContext(device, shaderLibrary), {
    blob: () => Promise.reject(new Error('the tables page hands rows over directly, not as blobs')),
    progress: () => {},
  }) as unknown as Record<string, (a: unknown) => Promise<unknown>>;
  self.onmessage = async (e: MessageEvent<TableWorkerIn>) => {
    const { id, fn, args } = e.data;
    try {
      if (!(fn in api)) throw new Error(`the worker has no call "${fn}"`);
      self.postMessage({ type: 'reply', id, ok: true, value: await api[fn](args) } satisfies TableWorkerOut);
    } catch (err) {
      self.postMessage({ type: 'reply', id, ok: false, error: text(err) } satisfies TableWorkerOut);
    }
  };
  self.postMessage({ type: 'ready', adapter } satisfies TableWorkerOut);
} catch (e) {
  self.postMessage({ type: 'fatal', message: text(e) } satisfies TableWorkerOut);
}
