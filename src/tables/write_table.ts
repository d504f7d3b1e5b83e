// The completed table as the file it came from: the header line and every observed cell written
// back as their raw bytes (quotes included), the missing cells filled with the imputed values,
// with the same delimiter, line break, BOM and final line break. A .npy table comes back as a
// .npy (observed values bit for bit) or as CSV.
import { csvField } from './csv.ts';
import { encodeNpy } from './npy.ts';
import type { TableColumn, TableData } from './table.ts';

/** Imputed cells: (rows, columns), a real column's value in the data's units, a binary or
 *  categorical column's level index. Only the missing cells are read. */
export type Completed = Float64Array;

/** The decimals to print an imputed real value with: as many as the column's observed texts show
 *  at most (integers stay integers), at most 6. */
export function columnDecimals(t: TableData, c: number): number {
  const C = t.columns.length;
  let most = 0;
  for (let r = 0; r < t.rows; r++) {
    if (!t.mask[r * C + c]) continue;
    const s = t.text[r][c].trim();
    if (/[eE]/.test(s)) return 6;
    const dot = s.indexOf('.');
    if (dot >= 0) most = Math.max(most, s.length - dot - 1);
  }
  return Math.min(most, 6);
}

function cellText(col: TableColumn, v: number, decimals: number): string {
  // toFixed writes -0.00 for a small negative value; a table never shows a signed zero
  if (col.type === 'real') return v.toFixed(decimals).replace(/^-(0\.?0*)$/, '$1');
  return col.levels[Math.round(v)];
}

/** The completed CSV text. `mask`: the cells to keep (the table's own mask). */
export function completedCsv(t: TableData, completed: Completed): string {
  const f = t.format, C = t.columns.length;
  const decimals = t.columns.map((_, c) => columnDecimals(t, c));
  const lines = [f.headerRaw];
  for (let r = 0; r < t.rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < C; c++) {
      cells.push(t.mask[r * C + c] ? t.raw[r][c] : csvField(cellText(t.columns[c], completed[r * C + c], decimals[c]), f.delimiter));
    }
    lines.push(cells.join(f.delimiter));
  }
  return (f.bom ? '\uFEFF' : '') + lines.join(f.newline) + (f.trailingNewline ? f.newline : '');
}

/** The completed .npy (a .npy source only): observed numbers as they were, imputed ones filled. */
export function completedNpy(t: TableData, completed: Completed): Uint8Array {
  const C = t.columns.length;
  const data = new Float64Array(t.rows * C);
  for (let i = 0; i < data.length; i++) {
    const col = t.columns[i % C];
    data[i] = t.mask[i] ? t.numbers![i] : col.type === 'real' ? completed[i] : Number(col.levels[Math.round(completed[i])]);
  }
  return encodeNpy({ dtype: t.format.dtype ?? '<f8', rows: t.rows, cols: C, data });
}
