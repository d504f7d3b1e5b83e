// The four real tables of the study (provenance and licences: data/tables/README.md): breast cancer
// (diagnostic) and wine as CSVs shipped in data/tables/, penguins and cars from the npm package
// vega-datasets, the last two with real holes. Column types are fixed here, per set, rather than
// detected, so the study's protocol does not move when a detector changes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { projectRoot } from '../../node/project_root.ts';
import { fail } from '../../errors.ts';
import type { ColumnType, StudyColumn, StudyTable } from './table.ts';

export const TABLE_SETS = ['breast-cancer', 'wine', 'penguins', 'cars'] as const;
export type TableSetName = (typeof TABLE_SETS)[number];

type Cell = string | number | null | undefined;

/** Records (one object per row) to a StudyTable; levels in first-seen order; `missing` strings are holes. */
export function tableFromRecords(name: string, records: Record<string, Cell>[], spec: { name: string; type: ColumnType; from?: (v: Cell) => Cell }[], missing: string[] = []): StudyTable {
  const d = spec.length;
  const values = new Float64Array(records.length * d);
  const columns: StudyColumn[] = spec.map((s) => ({ name: s.name, type: s.type, ...(s.type === 'real' ? {} : { levels: [] as string[] }) }));
  records.forEach((r, i) => {
    spec.forEach((s, j) => {
      const raw = s.from ? s.from(r[s.name]) : r[s.name];
      const isHole = raw === null || raw === undefined || raw === '' || (typeof raw === 'string' && missing.includes(raw));
      if (isHole) { values[i * d + j] = NaN; return; }
      if (s.type === 'real') {
        const v = typeof raw === 'number' ? raw : Number(raw);
        if (!Number.isFinite(v)) fail(`${name}: row ${i + 1}, column "${s.name}": "${raw}" is not a number`);
        values[i * d + j] = v;
      } else {
        const levels = columns[j].levels!;
        let k = levels.indexOf(String(raw));
        if (k < 0) { k = levels.length; levels.push(String(raw)); }
        values[i * d + j] = k;
      }
    });
  });
  for (const c of columns) if (c.type === 'binary' && c.levels!.length !== 2) fail(`${name}: binary column "${c.name}" has ${c.levels!.length} levels`);
  return { name, columns, rows: records.length, values };
}

function readCsv(path: string): Record<string, string>[] {
  const r = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true });
  if (r.errors.length) fail(`${path}: ${r.errors[0].message} (row ${r.errors[0].row})`);
  return r.data;
}

const vega = (file: string): Record<string, Cell>[] => JSON.parse(readFileSync(join(projectRoot, 'node_modules/vega-datasets/data', file), 'utf8'));

/** The set by name, typed. */
export function loadTableSet(set: TableSetName): StudyTable {
  if (set === 'breast-cancer' || set === 'wine') {
    const recs = readCsv(join(projectRoot, 'data/tables', set === 'wine' ? 'wine.csv' : 'breast_cancer.csv'));
    const names = Object.keys(recs[0]);
    const last = names[names.length - 1];
    return tableFromRecords(set, recs, names.map((n) => ({ name: n, type: n !== last ? 'real' : set === 'wine' ? 'categorical' : 'binary' })));
  }
  if (set === 'penguins') {
    // one Sex value is "." in the source: a hole, not a third sex
    return tableFromRecords(set, vega('penguins.json'), [
      { name: 'Species', type: 'categorical' }, { name: 'Island', type: 'categorical' },
      { name: 'Beak Length (mm)', type: 'real' }, { name: 'Beak Depth (mm)', type: 'real' },
      { name: 'Flipper Length (mm)', type: 'real' }, { name: 'Body Mass (g)', type: 'real' },
      { name: 'Sex', type: 'binary' },
    ], ['.']);
  }
  if (set === 'cars') {
    // Name identifies a car (311 values for 406 rows): not a column to impute, dropped
    return tableFromRecords(set, vega('cars.json'), [
      { name: 'Miles_per_Gallon', type: 'real' }, { name: 'Cylinders', type: 'real' },
      { name: 'Displacement', type: 'real' }, { name: 'Horsepower', type: 'real' },
      { name: 'Weight_in_lbs', type: 'real' }, { name: 'Acceleration', type: 'real' },
      { name: 'Year', type: 'real', from: (v) => (typeof v === 'string' ? Number(v.slice(0, 4)) : v) },
      { name: 'Origin', type: 'categorical' },
    ]);
  }
  return fail(`unknown table set "${set}" (one of ${TABLE_SETS.join(', ')})`);
}
