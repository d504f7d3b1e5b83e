// CSV text to a grid of cells, by papaparse (the delimiter detected, quoted fields, any line
// break), plus each cell's raw bytes: papaparse gives the unquoted values, and the completed table
// must write every observed cell back exactly as it was (quotes included). The raw slices are
// found by walking the text once along papaparse's fields, checking that every field matches the
// text either plain or quoted ("..." with "" for a quote); a row that matches neither way is
// refused, naming its line, so a cell that could not be reproduced byte for byte never gets through.
import Papa from 'papaparse';
import { fail } from '../errors.ts';

export interface CsvGrid {
  header: string[];
  headerRaw: string;
  /** data rows (blank lines dropped): cell values and raw text */
  cells: string[][];
  raw: string[][];
  /** 1-based line of each data row in the file (for messages) */
  lines: number[];
  delimiter: string;
  newline: string;
  bom: boolean;
  trailingNewline: boolean;
}

export function parseCsv(input: string, source: string): CsvGrid {
  const bom = input.charCodeAt(0) === 0xfeff;
  const text = bom ? input.slice(1) : input;
  if (text.trim() === '') fail(`${source}: the file is empty`);
  // the delimiter is guessed on non-blank lines (a final line break would count as a one-field
  // row and spoil the guess), then the whole text is parsed with it, blank lines kept
  const guessed = Papa.parse<string[]>(text, { preview: 100, skipEmptyLines: true, delimitersToGuess: [',', '\t', ';', '|'] }).meta.delimiter;
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false, delimiter: guessed });
  // one column has no delimiter to detect; that case is refused below with a clearer message
  const bad = parsed.errors.find((e) => e.code !== 'UndetectableDelimiter');
  if (bad) fail(`${source}: CSV error in data row ${(bad.row ?? 0)} (${bad.message})`);
  const delimiter = parsed.meta.delimiter, newline = parsed.meta.linebreak;
  const rows = parsed.data;
  let pos = 0, line = 1;
  const walked: { cells: string[]; raw: string[]; line: number }[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const startLine = line;
    const raw: string[] = [];
    for (let c = 0; c < row.length; c++) {
      if (c > 0) {
        if (!text.startsWith(delimiter, pos)) fail(`${source}: line ${startLine}: cannot reproduce the row's layout (expected "${delimiter}" at column ${c + 1})`);
        pos += delimiter.length;
      }
      const v = row[c];
      const quoted = `"${v.replace(/"/g, '""')}"`;
      const take = text.startsWith(quoted, pos) ? quoted : text.startsWith(v, pos) ? v : undefined;
      if (take === undefined) fail(`${source}: line ${startLine}, column ${c + 1}: the field's text cannot be reproduced byte for byte (stray spaces around quotes?)`);
      raw.push(take);
      line += take.split(newline).length - 1;
      pos += take.length;
    }
    const atEnd = pos === text.length;
    if (!atEnd) {
      if (!text.startsWith(newline, pos)) fail(`${source}: line ${startLine}: cannot reproduce the row's layout (no line break after its last field)`);
      pos += newline.length;
      line += 1;
    }
    const blank = row.length === 1 && row[0] === '';
    if (!blank) walked.push({ cells: row, raw, line: startLine });
  }
  if (pos !== text.length) fail(`${source}: ${text.length - pos} characters after the last row could not be read`);
  const trailingNewline = text.endsWith(newline);
  if (walked.length === 0) fail(`${source}: no header row`);
  const [head, ...data] = walked;
  const headerRaw = head.raw.join(delimiter);
  const header = head.cells.map((h) => h.trim());
  if (header.length < 2) fail(`${source}: one column only (no delimiter among , tab ; | found): a table to impute needs at least two columns`);
  header.forEach((h, i) => {
    if (h === '') fail(`${source}: line 1, column ${i + 1}: the header is empty`);
    const j = header.indexOf(h);
    if (j !== i) fail(`${source}: line 1: the header "${h}" appears twice (columns ${j + 1} and ${i + 1})`);
  });
  for (const d of data) {
    if (d.cells.length !== header.length) fail(`${source}: line ${d.line}: ${d.cells.length} fields, but the header has ${header.length} (ragged row)`);
  }
  return {
    header, headerRaw, delimiter, newline, bom, trailingNewline,
    cells: data.map((d) => d.cells), raw: data.map((d) => d.raw), lines: data.map((d) => d.line),
  };
}

/** A value written into a CSV cell of this delimiter: quoted when it must be. */
export function csvField(v: string, delimiter: string): string {
  return v.includes(delimiter) || /["\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}
