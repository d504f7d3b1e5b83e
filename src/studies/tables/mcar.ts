// MCAR holes for the study: exactly round(rate x observed cells) of the cells that are observed in
// the data are hidden, chosen uniformly by a seeded permutation. Cells missing in the data itself
// (penguins, cars) are never chosen: their truth is unknown, so they cannot be scored.
import { fail } from '../../errors.ts';
import { createRng, permutation } from '../../rng.ts';
import { cols, type StudyTable } from './table.ts';

/** 1 where a cell is hidden. Every column keeps at least one observed cell, else one clear error. */
export function mcarMask(t: StudyTable, rate: number, seed: number): Uint8Array {
  if (!(rate > 0 && rate < 1)) fail(`missing rate must be in (0, 1), got ${rate}`);
  const observed: number[] = [];
  for (let i = 0; i < t.values.length; i++) if (!Number.isNaN(t.values[i])) observed.push(i);
  const hideCount = Math.round(rate * observed.length);
  const order = permutation(observed.length, createRng(seed));
  const hide = new Uint8Array(t.values.length);
  for (let k = 0; k < hideCount; k++) hide[observed[order[k]]] = 1;
  const d = cols(t);
  for (let j = 0; j < d; j++) {
    let left = 0;
    for (let i = 0; i < t.rows; i++) if (!Number.isNaN(t.values[i * d + j]) && !hide[i * d + j]) left++;
    if (left === 0) fail(`${t.name}: a ${rate * 100}% mask (seed ${seed}) leaves column "${t.columns[j].name}" with no observed cell; use a larger table or a lower rate`);
  }
  return hide;
}

/** The mask's seed for a set, rate and study seed: distinct per combination, the same in every run. */
export function maskSeed(setIndex: number, rate: number, seed: number): number {
  return (seed * 1_000_003 + setIndex * 1009 + Math.round(rate * 1000)) >>> 0;
}
