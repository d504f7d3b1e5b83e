// The tuner's choices in the page: localStorage where there is one (the page's main thread). A
// Web Worker has none: the training worker uses the fallback for new runs and a loaded run's
// recorded choices for resumes (src/page/worker/train_worker.ts).
import { emptyKernelTable, type ChoiceStore, type KernelTable } from '../tune/table.ts';

const PREFIX = 'tvae.kernels.';

function localChoiceStore(storage: Storage): ChoiceStore {
  return {
    where: 'localStorage',
    load(key) {
      try {
        const v = JSON.parse(storage.getItem(PREFIX + key) ?? '{}') as unknown;
        if (typeof v !== 'object' || v === null) return {};
        return Object.fromEntries(Object.entries(v).filter(([, name]) => typeof name === 'string'));
      } catch {
        return {}; // a damaged entry is only a cache: the tuner measures again
      }
    },
    save(key, choices) {
      try {
        storage.setItem(PREFIX + key, JSON.stringify({ ...this.load(key), ...choices }));
      } catch {
        // storage full or refused: the choices last for this page
      }
    },
  };
}

/** The page's table. The CLI's headless Chromium starts from a fresh profile in every process, so
 *  its localStorage is empty: the CLI hands the page its cache file's choices with init and saves
 *  what was tuned (src/train/run.ts). A resume never depends on either: it forces the run's own
 *  kernels.json (src/tune/record.ts). */
export function pageKernelTable(): KernelTable {
  const storage = (globalThis as { localStorage?: Storage }).localStorage;
  return emptyKernelTable([], storage ? localChoiceStore(storage) : undefined);
}
