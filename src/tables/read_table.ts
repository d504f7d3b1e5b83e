// A table file (CSV or .npy) to TableData: missing cells found, column types detected (or given),
// values encoded. Every check on the user's data runs here, before any model is built, and each
// refusal is one line naming the row (the file's line) and the column.
import { fail } from '../errors.ts';
import { parseCsv } from './csv.ts';
import { parseNpy } from './npy.ts';
import type { ColumnType, TableColumn, TableData, TableFormat } from './table.ts';

/** The cell texts that mean "missing" (compared after trimming spaces); --na adds more. */
export const DEFAULT_NA = ['', 'NA', 'NaN', 'null', '?'];

/** The most levels a categorical column may have: more looks like an identifier or free text. */
export const MAX_LEVELS = 100;

export interface ReadOptions {
  /** extra missing-value markers */
  na?: string[];
  /** per column name, a type that overrides the detected one */
  types?: Record<string, ColumnType>;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
export const isNumber = (s: string): boolean => NUMBER.test(s);

/** Parses `age:real,smoker:binary` (the --types flag). */
export function parseTypes(spec: string): Record<string, ColumnType> {
  const out: Record<string, ColumnType> = {};
  for (const part of spec.split(',').filter((p) => p.trim() !== '')) {
    const i = part.lastIndexOf(':');
    const name = part.slice(0, i).trim(), type = part.slice(i + 1).trim();
    if (i < 1 || name === '') fail(`--types: "${part}" is not name:type`);
    if (type !== 'real' && type !== 'binary' && type !== 'categorical') fail(`--types: column "${name}" has type "${type}"; the types are real, binary, categorical`);
    out[name] = type;
  }
  return out;
}

/** Reads a .csv/.tsv/.txt or .npy file's bytes. */
export function readTableBytes(bytes: Uint8Array, fileName: string, o: ReadOptions = {}): TableData {
  // the base name without node:path, so the page (tables.html) can read tables too
  const source = fileName.split(/[\\/]/).pop() ?? fileName;
  if (/\.npy$/i.test(fileName)) {
    const a = parseNpy(bytes, source);
    const header = Array.from({ length: a.cols }, (_, c) => `c${c + 1}`);
    const raw: string[][] = [];
    for (let r = 0; r < a.rows; r++) raw.push(header.map((_, c) => (Number.isNaN(a.data[r * a.cols + c]) ? '' : String(a.data[r * a.cols + c]))));
    const format: TableFormat = { kind: 'npy', delimiter: ',', newline: '\n', bom: false, trailingNewline: true, headerRaw: header.join(','), dtype: a.dtype };
    const t = tableFromCells({ source, header, cells: raw, raw, lines: raw.map((_, r) => r + 1), format, na: [''], types: o.types, rowWord: 'row' });
    return { ...t, numbers: a.data };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return fail(`${source}: not UTF-8 text (save the table as UTF-8 CSV)`);
  }
  const g = parseCsv(text, source);
  const format: TableFormat = { kind: 'csv', delimiter: g.delimiter, newline: g.newline, bom: g.bom, trailingNewline: g.trailingNewline, headerRaw: g.headerRaw };
  return tableFromCells({ source, header: g.header, cells: g.cells, raw: g.raw, lines: g.lines, format, na: [...DEFAULT_NA, ...(o.na ?? [])], types: o.types, rowWord: 'line' });
}

export interface CellsInput {
  source: string;
  header: string[];
  /** (rows, columns) values as text */
  cells: string[][];
  /** (rows, columns) raw text to write back (the same as `cells` for data made in memory) */
  raw?: string[][];
  /** the file line (or row number) of each row, for messages */
  lines?: number[];
  format?: TableFormat;
  na?: string[];
  types?: Record<string, ColumnType>;
  rowWord?: string;
}

/** TableData from cells as text: also the entry point for tables built in memory (the study). */
export function tableFromCells(i: CellsInput): TableData {
  const { source, header, cells } = i;
  const na = new Set(i.na ?? DEFAULT_NA);
  const rows = cells.length, C = header.length;
  const lines = i.lines ?? cells.map((_, r) => r + 2);
  const where = (r: number, c: number) => `${source}: ${i.rowWord ?? 'line'} ${lines[r]}, column "${header[c]}"`;
  for (const name of Object.keys(i.types ?? {})) if (!header.includes(name)) fail(`--types names column "${name}", which the table does not have (columns: ${header.join(', ')})`);
  if (rows === 0) fail(`${source}: the table has a header but no rows`);
  cells.forEach((row, r) => {
    if (row.length !== C) fail(`${source}: ${i.rowWord ?? 'line'} ${lines[r]}: ${row.length} fields, but the header has ${C} (ragged row)`);
  });
  const mask = new Uint8Array(rows * C);
  const trimmed = cells.map((row) => row.map((v) => v.trim()));
  for (let r = 0; r < rows; r++) for (let c = 0; c < C; c++) mask[r * C + c] = na.has(trimmed[r][c]) ? 0 : 1;
  const columns: TableColumn[] = [];
  let offset = 0;
  for (let c = 0; c < C; c++) {
    const obs: number[] = [];
    for (let r = 0; r < rows; r++) if (mask[r * C + c]) obs.push(r);
    if (obs.length === 0) fail(`${source}: column "${header[c]}" has no observed value`);
    const distinct = [...new Set(obs.map((r) => trimmed[r][c]))];
    const numeric = distinct.filter(isNumber);
    const given = i.types?.[header[c]];
    let type: ColumnType;
    if (given) type = given;
    else if (numeric.length === distinct.length) type = new Set(numeric.map(Number)).size === 2 ? 'binary' : 'real';
    else if (numeric.length >= 0.9 * distinct.length) {
      const r = obs.find((k) => !isNumber(trimmed[k][c]))!;
      fail(`${where(r, c)}: text "${trimmed[r][c]}" in a column of numbers (add it to --na if it marks a missing value, or declare the column categorical with --types)`);
    } else type = distinct.length === 2 ? 'binary' : 'categorical';
    const col: TableColumn = { name: header[c], type, levels: [], mean: 0, sd: 1, offset, width: 1, observed: obs.length };
    if (type === 'real') {
      const bad = obs.find((r) => !isNumber(trimmed[r][c]));
      if (bad !== undefined) fail(`${where(bad, c)}: text "${trimmed[bad][c]}" in a real column (add it to --na if it marks a missing value, or declare the column categorical with --types)`);
      const v = obs.map((r) => Number(trimmed[r][c]));
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
      if (!(sd > 0)) fail(`${source}: column "${header[c]}" is constant (every observed value is ${v[0]}): it carries nothing to learn; drop it`);
      col.mean = mean;
      col.sd = sd;
    } else {
      const levels = numeric.length === distinct.length ? [...distinct].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : 1)) : [...distinct].sort();
      if (levels.length === 1) fail(`${source}: column "${header[c]}" is constant (every observed value is "${levels[0]}"): it carries nothing to learn; drop it`);
      if (type === 'binary' && levels.length !== 2) fail(`${source}: column "${header[c]}" is declared binary but has ${levels.length} levels (${levels.slice(0, 5).join(', ')}${levels.length > 5 ? ', ...' : ''}): use categorical`);
      if (levels.length > MAX_LEVELS) fail(`${source}: column "${header[c]}" has ${levels.length} distinct values, more than ${MAX_LEVELS}: an identifier or free text? Drop it, or declare it real with --types if it holds numbers`);
      col.levels = levels;
      col.width = type === 'categorical' ? levels.length : 1;
    }
    columns.push(col);
    offset += col.width;
  }
  const width = offset;
  const values = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < C; c++) {
      if (!mask[r * C + c]) continue;
      const col = columns[c], t = trimmed[r][c], at = r * width + col.offset;
      if (col.type === 'real') values[at] = (Number(t) - col.mean) / col.sd;
      else if (col.type === 'binary') values[at] = col.levels.indexOf(t);
      else values[at + col.levels.indexOf(t)] = 1;
    }
  }
  const format: TableFormat = i.format ?? { kind: 'csv', delimiter: ',', newline: '\n', bom: false, trailingNewline: true, headerRaw: header.join(',') };
  return { source, columns, rows, width, values, mask, text: cells, raw: i.raw ?? cells, format };
}
