// A table to impute, as every part of the tables work sees it (the reader, the model, the imputer,
// the study and the page): its columns with their types, the numeric matrix the VAE trains on, the
// mask of observed cells and each cell's original text, so a completed table can write every
// observed cell back byte for byte.
//
// Encoding of one row (width D = sum of the columns' widths):
//   real        1 value, standardised from the column's observed values: (v - mean) / sd
//   binary      1 value, 0 or 1: the index of the level in `levels` (two levels)
//   categorical K values, one-hot over `levels` (K >= 2 levels)
// Missing cells are 0 in every encoded position; `mask` says which cells are observed.

export type ColumnType = 'real' | 'binary' | 'categorical';

export interface TableColumn {
  /** the header's name (for .npy: c1, c2, ...) */
  name: string;
  type: ColumnType;
  /** binary and categorical: the levels (observed texts, trimmed), sorted (numerically when all
   *  are numbers); a cell's code is its level's index. Empty for real columns. */
  levels: string[];
  /** real columns: mean and standard deviation of the observed values (standardisation);
   *  0 and 1 for the others */
  mean: number;
  sd: number;
  /** first position of this column in an encoded row, and its width (1, or K for categorical) */
  offset: number;
  width: number;
  /** number of observed cells */
  observed: number;
}

/** How the source file was laid out, so the completed file keeps its form. */
export interface TableFormat {
  kind: 'csv' | 'npy';
  /** csv: the delimiter and line break found, whether the file began with a UTF-8 BOM and ended
   *  with a line break, and the header line's raw text */
  delimiter: string;
  newline: string;
  bom: boolean;
  trailingNewline: boolean;
  headerRaw: string;
  /** npy: the element type ('<f4' or '<f8') */
  dtype?: '<f4' | '<f8';
}

export interface TableData {
  /** the file's base name (for messages and reports) */
  source: string;
  columns: TableColumn[];
  rows: number;
  /** encoded row width */
  width: number;
  /** (rows, width) row-major encoded values, 0 in missing cells */
  values: Float32Array;
  /** (rows, columns) 1 where the cell is observed */
  mask: Uint8Array;
  /** (rows, columns) each cell's value as the parser gave it (unquoted; '' for an empty cell) */
  text: string[][];
  /** (rows, columns) each cell's raw bytes in the file, quotes included (csv); the number as
   *  written for npy */
  raw: string[][];
  /** original numbers of a .npy file (rows, columns), to write back bit for bit */
  numbers?: Float64Array;
  format: TableFormat;
}

/** The encoded mask (rows, width): each column's observed flag repeated over its width. */
export function encodedMask(t: Pick<TableData, 'columns' | 'rows' | 'width' | 'mask'>, mask: Uint8Array = t.mask): Float32Array {
  const C = t.columns.length;
  const out = new Float32Array(t.rows * t.width);
  for (let r = 0; r < t.rows; r++) {
    for (let c = 0; c < C; c++) {
      if (!mask[r * C + c]) continue;
      const col = t.columns[c];
      out.fill(1, r * t.width + col.offset, r * t.width + col.offset + col.width);
    }
  }
  return out;
}

/** Rows of [x | mask] (rows, 2 * width): the model's input. Cells whose mask is 0 get x = 0 even
 *  when `values` holds something there (cells hidden for the held-out score). */
export function maskedRows(t: Pick<TableData, 'columns' | 'rows' | 'width' | 'mask' | 'values'>, mask: Uint8Array = t.mask): Float32Array {
  const D = t.width;
  const m = encodedMask(t, mask);
  const out = new Float32Array(t.rows * 2 * D);
  for (let r = 0; r < t.rows; r++) {
    for (let d = 0; d < D; d++) {
      const on = m[r * D + d];
      out[r * 2 * D + d] = on ? t.values[r * D + d] : 0;
      out[r * 2 * D + D + d] = on;
    }
  }
  return out;
}

/** One line per column: name, type, levels or mean/sd, observed fraction (printed by the CLI). */
export function describeColumns(t: TableData): string[] {
  return t.columns.map((c) => {
    const what = c.type === 'real' ? `real (mean ${fmt(c.mean)}, sd ${fmt(c.sd)})` : `${c.type} (${c.levels.length} levels: ${c.levels.slice(0, 6).join(', ')}${c.levels.length > 6 ? ', ...' : ''})`;
    return `${c.name}: ${what}, observed ${c.observed}/${t.rows} (${((100 * c.observed) / t.rows).toFixed(1)}%)`;
  });
}

const fmt = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(4))));
