// The study's view of a table: one number per cell, row-major, NaN where the cell is missing.
// Real columns hold their values; binary and categorical columns hold the index of their level
// (binary: 0 or 1), so every method, peer and score reads the same array.

export type ColumnType = 'real' | 'binary' | 'categorical';

export interface StudyColumn {
  name: string;
  type: ColumnType;
  /** level names of a binary or categorical column, in index order */
  levels?: string[];
}

export interface StudyTable {
  name: string;
  columns: StudyColumn[];
  rows: number;
  /** (rows, columns) row-major; NaN = missing */
  values: Float64Array;
}

export const cols = (t: StudyTable): number => t.columns.length;

/** How many cells are observed (not NaN). */
export function observedCount(t: StudyTable): number {
  let n = 0;
  for (const v of t.values) if (!Number.isNaN(v)) n++;
  return n;
}

/** A copy with `hide` (same shape, 1 = hide) turned into holes. */
export function withHoles(t: StudyTable, hide: Uint8Array): StudyTable {
  const values = t.values.slice();
  for (let i = 0; i < values.length; i++) if (hide[i]) values[i] = NaN;
  return { ...t, values };
}

/** Mean and sample sd of a column's observed values (real columns). */
export function columnStats(t: StudyTable, j: number): { mean: number; sd: number; n: number } {
  const d = cols(t);
  let n = 0, s = 0;
  for (let i = 0; i < t.rows; i++) {
    const v = t.values[i * d + j];
    if (!Number.isNaN(v)) { n++; s += v; }
  }
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < t.rows; i++) {
    const v = t.values[i * d + j];
    if (!Number.isNaN(v)) ss += (v - mean) ** 2;
  }
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n };
}
