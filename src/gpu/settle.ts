// How the host waits for the GPU. A runtime-agnostic hook on the GpuContext: the page and
// Chromium await Dawn's promises as they are, while the Node runtime (src/node/quiet_wait.ts)
// blocks its thread in slices instead, because the npm `webgpu` bindings re-poll Dawn on the main
// thread for as long as any promise is pending: that spinning took as much CPU as lavapipe's
// worker threads, which on two cores halves the GPU's throughput.
// This file holds only the pure parts (the slice schedule and the pipelined submit order) so they
// can be unit-tested without a GPU.

/** Resolves like `p`; a runtime may spend the wait blocked instead of polling. */
export type Settle = <T>(p: Promise<T>) => Promise<T>;

export const awaitAsIs: Settle = (p) => p;

/** Milliseconds to block before the next look at a pending GPU promise, `elapsedMs` into the
 *  wait: a twentieth of the time waited so far (so a wait overshoots its end by at most ~5%, and
 *  a wait of T ms takes about 20·ln(T) looks, not thousands), at least 1 ms and at most 50 ms. */
export function sliceMs(elapsedMs: number): number {
  return Math.min(50, Math.max(1, elapsedMs / 20));
}

/**
 * Submits `chunks` chunks in order and reports each one's completion, keeping one chunk queued
 * behind the one awaited: chunk k+1 is submitted before chunk k is awaited, so the GPU queue
 * never runs dry while the host learns of progress.
 * `submit(k)` encodes and submits chunk k and returns a promise of its completion; `wait` is how
 * the runtime awaits one (the context's settle).
 */
export async function pipelinedChunks(chunks: number, submit: (k: number) => Promise<unknown>, done: (k: number) => void, wait: Settle = awaitAsIs): Promise<void> {
  let pending: Promise<unknown> | undefined;
  for (let k = 0; k < chunks; k++) {
    const next = submit(k);
    if (pending) {
      await wait(pending);
      done(k - 1);
    }
    pending = next;
  }
  if (pending) {
    await wait(pending);
    done(chunks - 1);
  }
}
