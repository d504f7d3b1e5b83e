// The page the CLI drives in headless Chromium: it serves the GPU worker's API (worker_api.ts)
// to Node, fetching the data Node serves and reporting progress as it goes.
import { fail } from '../errors.ts';
import { exposeApi, startPage } from './api.ts';
import { createWorkerApi } from '../runtime/worker_api.ts';

declare global {
  interface Window {
    tvaeProgress?: (done: number, total: number) => void;
    /** Node's side of the tuning cache (src/node/worker.ts): this profile's storage is new each run */
    tvaeKernelsTuned?: (adapter: string, choices: Record<string, string>) => Promise<void>;
  }
}

async function fetchBlob(name: string): Promise<Uint8Array> {
  const res = await fetch(`/__tvae/blob/${encodeURIComponent(name)}`);
  if (!res.ok) fail(`the page could not fetch ${name} from the trainer (${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

const started = await startPage();
if (started) {
  const inner = started.ctx.kernels.store;
  started.ctx.kernels.store = {
    where: 'the CLI\'s kernel cache',
    load: (key) => inner?.load(key) ?? {},
    save(key, choices) {
      inner?.save(key, choices);
      void window.tvaeKernelsTuned?.(key, choices);
    },
  };
  exposeApi(createWorkerApi(started.ctx, { blob: fetchBlob, progress: (done, total) => window.tvaeProgress?.(done, total) }));
}
