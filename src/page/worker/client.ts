// The main thread's handle on the training worker: starts it (Vite bundles the module worker
// from this URL, in `npm run dev` and in the test harness's server alike), sends typed messages,
// matches replies to requests and hands every other message to the page.
import type { AdapterDescription } from '../../gpu/device.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

type Request = Extract<ToWorker, { id: number }>;
type Reply = Extract<FromWorker, { type: 'reply' }>;
// distributes over the union, so each request keeps its own fields
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface TrainWorker {
  /** the worker's adapter once it has a device; rejects with the reason it has none */
  ready: Promise<AdapterDescription>;
  request(m: WithoutId<Request>): Promise<Reply>;
  post(m: Exclude<ToWorker, { id: number }>): void;
}

export function startTrainWorker(onMessage: (m: FromWorker) => void): TrainWorker {
  const worker = new Worker(new URL('./train_worker.ts', import.meta.url), { type: 'module', name: 'tvae-train' });
  const pending = new Map<number, (r: Reply) => void>();
  let nextId = 1;
  let settle: { ok(a: AdapterDescription): void; no(e: Error): void };
  const ready = new Promise<AdapterDescription>((ok, no) => (settle = { ok, no }));
  worker.onmessage = (e: MessageEvent<FromWorker>) => {
    const m = e.data;
    if (m.type === 'reply') {
      pending.get(m.id)?.(m);
      pending.delete(m.id);
      return;
    }
    if (m.type === 'ready') settle.ok(m.adapter);
    if (m.type === 'fatal') settle.no(new Error(m.message));
    onMessage(m);
  };
  // a module that fails to load (a syntax error, a 404) reports here and nowhere else
  worker.onerror = (e) => {
    const message = `the training worker failed: ${e.message || 'it could not be loaded'}`;
    settle.no(new Error(message));
    onMessage({ type: 'fatal', message });
  };
  worker.postMessage({ type: 'init' } satisfies ToWorker);
  return {
    ready,
    request(m) {
      const id = nextId++;
      return new Promise<Reply>((resolve) => {
        pending.set(id, resolve);
        worker.postMessage({ ...m, id });
      });
    },
    post(m) {
      worker.postMessage(m);
    },
  };
}
