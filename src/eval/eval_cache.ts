// A model's evaluation kept in its run folder (evaluation.safetensors: the images as tensors, the
// scores and what they were computed with as metadata), so a resumed job reuses it instead of
// evaluating again. The key holds everything the numbers depend on (test images, protocol, the
// model's epoch): a cache made under other settings is ignored, never misused. Scores go through
// JSON, which keeps every double exactly.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, type Tensor } from '../io/safetensors.ts';
import { writeFileAtomic } from '../io/run_folder.ts';
import type { AdapterDescription } from '../gpu/device.ts';
import type { RunEvaluation } from './run_eval.ts';

export const EVAL_FILE = 'evaluation.safetensors';

/** The adapter as a kept result's key names it: runtime and everything the adapter says of itself
 *  (evaluations repeat bit for bit on one adapter only; a driver or Mesa update may round
 *  differently), so a job resumed on another adapter computes again instead of mixing numbers. */
export function adapterKey(runtime: string, a: Pick<AdapterDescription, 'vendor' | 'architecture' | 'device' | 'description' | 'driver'>): string {
  return `${runtime}: ${JSON.stringify([a.vendor, a.architecture, a.device, a.description, a.driver ?? ''])}`;
}

export interface EvalCache {
  load(dir: string, key: string): Omit<RunEvaluation, 'run'> | undefined;
  save(dir: string, key: string, r: Omit<RunEvaluation, 'run'>): void;
}

const f32 = (data: Float32Array): Tensor => ({ dtype: 'F32', shape: [data.length], data });

export const runFolderEvalCache: EvalCache = {
  load(dir, key) {
    const file = join(dir, EVAL_FILE);
    if (!existsSync(file)) return undefined;
    try {
      const d = decodeSafetensors(new Uint8Array(readFileSync(file)), file);
      if (d.metadata.key !== key) return undefined;
      const t = (name: string) => {
        const x = d.tensors[name];
        if (!x || x.dtype !== 'F32') throw new Error(`no ${name}`);
        return x.data as Float32Array;
      };
      const scores = JSON.parse(d.metadata.scores) as RunEvaluation['scores'];
      const masks = Number(d.metadata.masks);
      const perMask = Array.from({ length: masks }, (_, i) => ({ masked: t(`mask${i}.masked`), prediction: t(`mask${i}.prediction`), imputation: t(`mask${i}.imputation`) }));
      return { scores, images: { reconstruction: t('reconstruction'), samples: t('samples'), draws30: t('draws30'), perMask } };
    } catch {
      return undefined; // damaged: evaluate again
    }
  },
  save(dir, key, r) {
    const tensors: Record<string, Tensor> = { reconstruction: f32(r.images.reconstruction), samples: f32(r.images.samples), draws30: f32(r.images.draws30) };
    r.images.perMask.forEach((m, i) => {
      tensors[`mask${i}.masked`] = f32(m.masked);
      tensors[`mask${i}.prediction`] = f32(m.prediction);
      tensors[`mask${i}.imputation`] = f32(m.imputation);
    });
    writeFileAtomic(join(dir, EVAL_FILE), encodeSafetensors(tensors, { key, scores: JSON.stringify(r.scores), masks: String(r.images.perMask.length) }));
  },
};

/** A study's per-model results (numbers and tensors) kept in the run folder as `<name>.safetensors`
 *  under the same rule: reused only when the key matches, ignored when damaged. */
export function loadKept(dir: string, name: string, key: string): { numbers: Record<string, number>; tensors: Record<string, Float32Array> } | undefined {
  const file = join(dir, `${name}.safetensors`);
  if (!existsSync(file)) return undefined;
  try {
    const d = decodeSafetensors(new Uint8Array(readFileSync(file)), file);
    if (d.metadata.key !== key) return undefined;
    const tensors: Record<string, Float32Array> = {};
    for (const [k, t] of Object.entries(d.tensors)) if (t.dtype === 'F32') tensors[k] = t.data as Float32Array;
    return { numbers: JSON.parse(d.metadata.numbers) as Record<string, number>, tensors };
  } catch {
    return undefined;
  }
}

export function saveKept(dir: string, name: string, key: string, numbers: Record<string, number>, tensors: Record<string, Float32Array>): void {
  const t = Object.fromEntries(Object.entries(tensors).map(([k, v]) => [k, f32(v)]));
  writeFileAtomic(join(dir, `${name}.safetensors`), encodeSafetensors(t, { key, numbers: JSON.stringify(numbers) }));
}
