// The Node runtime's way to wait for the GPU without spinning (see src/gpu/settle.ts for why).
// Atomics.wait on a SharedArrayBuffer blocks the main thread in the kernel, so Dawn's polling
// stops with the event loop; between slices one event-loop turn lets Dawn deliver its callbacks.
// Awaiting a timer instead would not help: while a Dawn promise is pending, the bindings keep
// the event loop polling whatever else is awaited. Measured on lavapipe at the reference step:
// the main thread's share of the process's CPU fell from 35% to about 2%.
import { setImmediate as turn } from 'node:timers/promises';
import { sliceMs, type Settle } from '../gpu/settle.ts';

const cell = new Int32Array(new SharedArrayBuffer(4)); // never notified: every wait times out

export const quietSettle: Settle = async <T>(p: Promise<T>): Promise<T> => {
  let settled = false;
  const watched = p.finally(() => {
    settled = true;
  });
  watched.catch(() => {}); // the rejection is reported through `p` below
  const t0 = performance.now();
  await turn(); // a promise that is already done settles here without blocking
  while (!settled) {
    Atomics.wait(cell, 0, 0, sliceMs(performance.now() - t0));
    await turn();
  }
  return p;
};
