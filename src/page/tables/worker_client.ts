// The main thread's handle on a tables worker, shaped as the GpuWorker that imputeTable takes, so
// the page drives training and imputation through the same function as the CLI and the study.
import type { GpuWorker } from '../../node/worker.ts';
import { TvaeError } from '../../errors.ts';
import type { TableWorkerIn, TableWorkerOut } from './table_worker.ts';

export async function startTableWorker(name: string): Promise<GpuWorker> {
  const worker = new Worker(new URL('./table_worker.ts', import.meta.url), { type: 'module', name });
  const pending = new Map<number, { ok(v: unknown): void; no(e: Error): void }>();
  let nextId = 1;
  const adapter = await new Promise<import('../../gpu/device.ts').AdapterDescription>((ok, no) => {
    worker.onerror = (e) => no(new TvaeError(`the ${name} worker failed: ${e.message || 'it could not be loaded'}`));
    worker.onmessage = (e: MessageEvent<TableWorkerOut>) => {
      const m = e.data;
      if (m.type === 'ready') ok(m.adapter);
      else if (m.type === 'fatal') no(new TvaeError(m.message));
      else if (m.type === 'reply') {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.ok) p?.ok(m.value);
        else p?.no(new TvaeError(m.error));
      }
    };
  });
  return {
    adapter,
    runtime: 'chromium',
    call<T>(fn: string, args: unknown = {}): Promise<T> {
      const id = nextId++;
      return new Promise<T>((ok, no) => {
        pending.set(id, { ok: ok as (v: unknown) => void, no });
        worker.postMessage({ id, fn, args } satisfies TableWorkerIn);
      });
    },
    async close() {
      worker.terminate();
    },
  };
}
