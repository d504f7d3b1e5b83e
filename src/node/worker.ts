// Where the GPU work of a training or evaluation run happens: in headless Chromium (default) or
// in-process in plain Node through Dawn (TVAE_RUNTIME=node). Both serve the same worker API.
import { fail } from '../errors.ts';
import type { AdapterDescription } from '../gpu/device.ts';
import { isChoiceKey } from '../tune/record.ts';

export interface GpuWorker {
  adapter: AdapterDescription;
  runtime: 'chromium' | 'node';
  call<T = unknown>(fn: string, args?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface WorkerOptions {
  log?: (line: string) => void;
  /** bytes handed to the worker by name (the training and validation images) */
  blobs?: ReadonlyMap<string, Uint8Array>;
  progress?: (done: number, total: number) => void;
}

export type Runtime = GpuWorker['runtime'];

export function runtimeFromEnv(value = process.env.TVAE_RUNTIME): Runtime {
  if (value === undefined || value === '' || value === 'chromium') return 'chromium';
  if (value === 'node') return 'node';
  fail(`TVAE_RUNTIME must be "chromium" (headless Chromium, the default) or "node" (Dawn in-process), got "${value}"`);
}

export async function openWorker(opts: WorkerOptions = {}, runtime: Runtime = runtimeFromEnv()): Promise<GpuWorker> {
  if (runtime === 'node') {
    const { openDawnWorker } = await import('./dawn_worker.ts');
    return openDawnWorker(opts);
  }
  // loaded only here: the harness pulls in puppeteer and Vite, which the Node runtime (and the
  // GPU bundle, which ships neither) never needs
  const { openHarness } = await import('./harness.ts');
  // the page's profile is new in every process, so its localStorage forgets what it tuned: the
  // choices live in the Node cache file instead (handed over here, saved back as they are made)
  const { fileChoiceStore } = await import('./tune_cache.ts');
  const { adapterCaps } = await import('../gpu/device.ts');
  const store = fileChoiceStore();
  const h = await openHarness('src/page/headless.html', {
    blobs: opts.blobs,
    log: opts.log,
    expose: {
      tvaeProgress: (done: number, total: number) => opts.progress?.(done, total),
      tvaeKernelsTuned: (adapter: unknown, choices: unknown) => saveTuned(store, adapter, choices),
    },
  });
  try {
    const adapter = adapterCaps(h.adapter).key;
    await h.call('adoptChoices', { adapter, choices: store.load(adapter) });
  } catch (e) {
    await h.close();
    throw e;
  }
  return { adapter: h.adapter, runtime: 'chromium', call: h.call, close: h.close };
}

/** What the page tuned, into the cache file: only string keys of the form the cache reads back
 *  (the page is ours, but what reaches a file is checked anyway). */
function saveTuned(store: { save(key: string, choices: Record<string, string>): void }, adapter: unknown, choices: unknown): void {
  if (typeof adapter !== 'string' || typeof choices !== 'object' || choices === null) return;
  const ok = Object.entries(choices).filter(([k, v]) => typeof v === 'string' && isChoiceKey(k) && /^[\w.]+$/.test(v));
  if (ok.length) store.save(adapter, Object.fromEntries(ok));
}

/** Which adapter the work will get (to choose sizes before any work starts). */
export async function probeAdapter(): Promise<AdapterDescription> {
  const w = await openWorker();
  await w.close();
  return w.adapter;
}
