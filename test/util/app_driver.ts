// Drives the training page as a user would, for the page tests: read its appState(), wait for a
// state, and fill the form's fields (selects chosen, checkboxes set, inputs typed).
import assert from 'node:assert/strict';
import type { Harness } from '../../src/node/harness.ts';
import type { EpochStats } from '../../src/train/trainer.ts';

/** What every page test reads of appState(); each test adds the views it checks. */
export interface AppStateBase {
  status: string;
  statusText: string;
  message?: string;
  running: boolean;
  dataReady: boolean;
  epochsDone: number;
  history: EpochStats[];
}

export interface AppDriver<S> {
  appState(): Promise<S>;
  waitFor(what: string, pred: (s: S) => boolean, timeoutMs?: number): Promise<S>;
  fill(values: Record<string, string | boolean>): Promise<void>;
}

/** `harness` is asked on every call: the page tests open it in a before() hook. */
export function appDriver<S extends { status: string; statusText: string; message?: string }>(harness: () => Harness, pollMs = 150): AppDriver<S> {
  const appState = () => harness().call<S>('appState');
  return {
    appState,
    async waitFor(what, pred, timeoutMs = 180_000) {
      const t0 = Date.now();
      for (;;) {
        const s = await appState();
        if (pred(s)) return s;
        if (Date.now() - t0 > timeoutMs) assert.fail(`timed out waiting for ${what}; page state: ${s.status} "${s.statusText}" ${s.message ?? ''}`);
        await new Promise((r) => setTimeout(r, pollMs));
      }
    },
    async fill(values) {
      const page = harness().page;
      for (const [name, v] of Object.entries(values)) {
        const sel = `[name="${name}"]`;
        if (typeof v === 'boolean') {
          if ((await page.$eval(sel, (el) => (el as HTMLInputElement).checked)) !== v) await page.click(sel);
        } else if (await page.$eval(sel, (el) => el.tagName === 'SELECT')) await page.select(sel, v);
        else await page.locator(sel).fill(v);
      }
    },
  };
}
