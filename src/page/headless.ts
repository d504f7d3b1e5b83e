// The page the CLI drives in headless Chromium: it serves the GPU worker's API (worker_api.ts)
// to Node, fetching the data Node serves and reporting progress as it goes.
import { fail } from '../errors.ts';
import { exposeApi, startPage } from './api.ts';
import { createWorkerApi } from '../runtime/worker_api.ts';

declare global {
  interface Window {
    tvaeProgress?: (done: number, total: number) => void;
  }
}

async function fetchBlob(name: string): Promise<Uint8Array> {
  const res = await fetch(`/__tvae/blob/${encodeURIComponent(name)}`);
  if (!res.ok) fail(`the page could not fetch ${name} from the trainer (${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

const started = await startPage();
if (started) {
  exposeApi(createWorkerApi(started.ctx, { blob: fetchBlob, progress: (done, total) => window.tvaeProgress?.(done, total) }));
}
