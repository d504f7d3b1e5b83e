// Ctrl-C (SIGINT), SIGTERM and SIGHUP are a normal way to stop a CLI. Whoever holds something that
// must be saved or released registers a handler; on the first signal every handler runs
// synchronously (saving a checkpoint is synchronous file I/O, so nothing can interleave), the
// browsers are killed and the process exits 128 + the signal number. Nothing waits on the browser
// or the GPU, so a second Ctrl-C has nothing left to cut short; and since every write is atomic,
// the folder stays resumable whenever the process dies.
import { killGuardedChildren } from './child_guard.ts';

/** Returns a line to print (how to resume), or nothing. */
export type InterruptHandler = (signal: NodeJS.Signals) => string | undefined;

const handlers = new Set<InterruptHandler>();
const CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
let installed = false;

const lastHandlers = new Set<InterruptHandler>();

/** `last`: runs after every other handler (a job's summary and resume line, after a run's own line). */
export function onInterrupt(h: InterruptHandler, opts: { last?: boolean } = {}): () => void {
  const set = opts.last ? lastHandlers : handlers;
  set.add(h);
  return () => set.delete(h);
}

/** Called once by a CLI entry point; library code and tests never take over the signals. */
export function installInterruptHandlers(beforePrint: () => void = () => undefined): void {
  if (installed) return;
  installed = true;
  for (const signal of Object.keys(CODES) as NodeJS.Signals[]) {
    process.on(signal, () => {
      const code = CODES[signal] ?? 1;
      const lines: string[] = [];
      for (const h of [...handlers, ...lastHandlers]) {
        try {
          const line = h(signal);
          if (line) lines.push(line);
        } catch (e) {
          lines.push(`interrupted (${signal}), and saving failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      killGuardedChildren();
      beforePrint();
      for (const l of lines) console.error(l);
      process.exit(code);
    });
  }
}
