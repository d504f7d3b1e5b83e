// The tuner's choices in the page: localStorage where there is one (the page's main thread). A
// Web Worker has none, so the training worker keeps its choices for its own lifetime and tunes
// once per page load.
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

export function pageKernelTable(): KernelTable {
  const storage = (globalThis as { localStorage?: Storage }).localStorage;
  // Frozen: the CLI's headless Chromium starts from a fresh profile in every process, so choices
  // timed there would differ between a run and its resume (different variants round differently)
  // and break bit-identical resume. Until a run records its kernel choices, browsers use stored
  // choices or the fallback and never time.
  return { ...emptyKernelTable([], storage ? localChoiceStore(storage) : undefined), frozen: true };
}
