// Each finished (set, rate, seed, method) of the tables study kept in the job's folder as one JSON
// file, <out>/<set>-r<rate>-s<seed>/<method>.json, written atomically as soon as it finishes, so a
// resumed job (`npm start -- --study tables ... --resume`) reuses it instead of running it again.
// The file holds the imputed table (JSON keeps every double exactly; the scores are recomputed
// from it, deterministically) and a key with everything the numbers depend on (the method's
// settings, the table's shape and hole count): a file made under other settings, or damaged, is
// ignored and the cell runs again, never misused.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/run_folder.ts';
import type { MethodName } from './report.ts';

const FILE_OF: Record<MethodName, string> = {
  'VAE, Gaussian prior': 'vae-gaussian', 'VAE, t prior': 'vae-t', 'mean/mode': 'mean-mode', kNN: 'knn', MICE: 'mice', forest: 'forest',
};

export interface KeptCell {
  imputed: Float64Array;
  seconds: number;
}

export const cellFile = (dir: string, method: MethodName): string => join(dir, `${FILE_OF[method]}.json`);

/** The kept result of `method` in the cell folder `dir`, when its key matches and it is whole. */
export function loadCell(dir: string, method: MethodName, key: string, cells: number): KeptCell | undefined {
  const file = cellFile(dir, method);
  if (!existsSync(file)) return undefined;
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as { key?: unknown; seconds?: unknown; imputed?: unknown };
    if (j.key !== key || typeof j.seconds !== 'number' || !Array.isArray(j.imputed) || j.imputed.length !== cells) return undefined;
    if (!j.imputed.every((v) => typeof v === 'number' && Number.isFinite(v))) return undefined;
    return { imputed: Float64Array.from(j.imputed as number[]), seconds: j.seconds };
  } catch {
    return undefined; // damaged: run the cell again
  }
}

export function saveCell(dir: string, method: MethodName, key: string, r: KeptCell): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(cellFile(dir, method), JSON.stringify({ key, seconds: r.seconds, imputed: Array.from(r.imputed) }));
}
