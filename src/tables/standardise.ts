// The model's units: real columns standardised from the cells training sees, never from the cells
// hidden for the held-out score. The reader (read_table.ts) standardises each real column from all
// of its observed cells, which is right for describing the table but not for training: a held-out
// cell's value would shape the scaling of what the model learns (its mean and sd), so the score
// would be measured on data that leaked into training. Level sets of binary and categorical
// columns stay as read: they are the column's type (every level the file names), not a statistic.
//
// Training and every imputation of one model use one standardisation (the model's): the final
// imputation feeds all observed cells, held-out ones included, in those same units.
import type { TableData } from './table.ts';

/**
 * The table with each real column re-standardised from the observed cells where `visible`
 * (rows, columns) is 1; the values of every observed cell (visible or not) re-encoded in those
 * units, missing cells still 0. Values are read from the cells' text (the file's numbers), not
 * the float32 encoding. A column whose visible cells are all equal keeps the reader's sd (any
 * scale fits a constant; training sees 0 in every visible cell either way), so no input of the
 * final imputation is blown up by a tiny sd.
 */
export function standardisedOn(t: TableData, visible: Uint8Array): TableData {
  const C = t.columns.length;
  if (visible.length !== t.rows * C) throw new Error(`visible mask has ${visible.length} cells, the table ${t.rows * C}`);
  const values = t.values.slice();
  const columns = t.columns.map((col, c) => {
    if (col.type !== 'real') return col;
    const number = (r: number) => (t.numbers ? t.numbers[r * C + c] : Number(t.text[r][c].trim()));
    let n = 0, s = 0;
    for (let r = 0; r < t.rows; r++) if (t.mask[r * C + c] && visible[r * C + c]) { n++; s += number(r); }
    if (n === 0) return col; // nothing visible (the reader refuses such a column; holdout keeps one)
    const mean = s / n;
    let ss = 0;
    for (let r = 0; r < t.rows; r++) if (t.mask[r * C + c] && visible[r * C + c]) ss += (number(r) - mean) ** 2;
    const sd = ss > 0 ? Math.sqrt(ss / n) : col.sd;
    for (let r = 0; r < t.rows; r++) if (t.mask[r * C + c]) values[r * t.width + col.offset] = (number(r) - mean) / sd;
    return { ...col, mean, sd };
  });
  return { ...t, columns, values };
}

/** Encoded imputations (n, C) in the model's units to the reader's units (real columns; the
 *  others are level indices in both). */
export function toReaderUnits(model: TableData, reader: TableData, v: Float64Array): Float64Array {
  const C = model.columns.length, out = v.slice();
  model.columns.forEach((col, c) => {
    if (col.type !== 'real') return;
    const to = reader.columns[c];
    for (let r = 0; r < model.rows; r++) out[r * C + c] = (v[r * C + c] * col.sd + col.mean - to.mean) / to.sd;
  });
  return out;
}
