// When the playground fills the holes: `request()` after each change (debounced, so a burst of
// changes costs one fill), `now()` for the Fill button. At most one fill runs at a time; a request
// that arrives while one runs only marks "run once more", so however many changes come during a
// slow fill, exactly one more fill follows it (the queue never grows), and it sees the latest input.

export interface FillScheduler {
  /** a fill after `delayMs` without further requests */
  request(): void;
  /** a fill at once (or once more right after the running one) */
  now(): void;
  /** a fill is waiting for its delay, running, or due to run again */
  readonly busy: boolean;
  /** stops pending fills; a running one finishes but is not repeated */
  cancel(): void;
}

/** `run` must not throw (it reports its own errors); a rejection is logged and the loop goes on. */
export function createFillScheduler(run: () => Promise<void>, delayMs: number, onBusyChange: () => void = () => {}): FillScheduler {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let cancelled = false;

  async function loop(): Promise<void> {
    running = true;
    onBusyChange();
    do {
      again = false;
      try {
        await run();
      } catch (e) {
        console.error('playground fill failed:', e);
      }
    } while (again && !cancelled);
    running = false;
    onBusyChange();
  }

  function kick(): void {
    timer = undefined;
    if (cancelled) return;
    if (running) again = true;
    else void loop();
  }

  return {
    request() {
      if (cancelled) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(kick, delayMs);
      onBusyChange();
    },
    now() {
      if (timer !== undefined) clearTimeout(timer);
      kick();
    },
    get busy() {
      return running || timer !== undefined;
    },
    cancel() {
      cancelled = true;
      again = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
