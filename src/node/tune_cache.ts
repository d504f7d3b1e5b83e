// The tuner's choices in Node: one JSON file, by default .cache/kernels.json in the project (git-
// ignored), TVAE_KERNEL_CACHE to move it. Keyed by the adapter (src/gpu/device.ts adapterCaps),
// then `family|MxNxK` (or a conv family's 11 numbers). A file that does not parse or holds other shapes of value is ignored whole
// (it is only a cache: the tuner measures again) and replaced on the next save; TVAE_KERNELS
// forces variants (src/tune/table.ts).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KERNEL_FAMILIES } from '../kernels/families.ts';
import { emptyKernelTable, parseForced, type ChoiceStore, type KernelTable } from '../tune/table.ts';
import { projectRoot } from './project_root.ts';
import { isChoiceKey } from '../tune/record.ts';

type CacheFile = { version: 1; adapters: Record<string, Record<string, string>> };

export function kernelCachePath(env = process.env): string {
  return env.TVAE_KERNEL_CACHE ? resolve(env.TVAE_KERNEL_CACHE) : join(projectRoot, '.cache', 'kernels.json');
}

function readCache(path: string): CacheFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { version: 1, adapters: {} }; // missing or unreadable: measure again
  }
  const p = parsed as Partial<CacheFile>;
  if (p?.version !== 1 || typeof p.adapters !== 'object' || p.adapters === null) return { version: 1, adapters: {} };
  const adapters: CacheFile['adapters'] = {};
  for (const [key, choices] of Object.entries(p.adapters)) {
    if (typeof choices !== 'object' || choices === null) continue;
    adapters[key] = Object.fromEntries(Object.entries(choices).filter(([k, v]) => typeof v === 'string' && isChoiceKey(k)));
  }
  return { version: 1, adapters };
}

export function fileChoiceStore(path = kernelCachePath()): ChoiceStore {
  return {
    where: path,
    load: (key) => readCache(path).adapters[key] ?? {},
    save(key, choices) {
      const file = readCache(path);
      file.adapters[key] = { ...file.adapters[key], ...choices };
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(file, null, 1)}\n`);
      renameSync(tmp, path); // whole or not at all, even with two processes tuning at once
    },
  };
}

/** The Node runtime's table: TVAE_KERNELS checked against the families, the cache file as store. */
export function nodeKernelTable(env = process.env): KernelTable {
  return emptyKernelTable(parseForced(env.TVAE_KERNELS, KERNEL_FAMILIES), fileChoiceStore(kernelCachePath(env)));
}
