// The tables study's own options (`--sets`, `--rates`), checked before any work.
import { fail } from '../../errors.ts';
import { TABLE_SETS, type TableSetName } from './datasets.ts';

export function parseTableSets(v: string | undefined): TableSetName[] | undefined {
  if (v === undefined) return undefined;
  return v.split(',').map((s) => ((TABLE_SETS as readonly string[]).includes(s) ? (s as TableSetName) : fail(`--sets entries must be among ${TABLE_SETS.join(', ')}, got "${s}"`)));
}

export function parseRates(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  return v.split(',').map((s) => {
    const r = Number(s);
    return s.trim() !== '' && r > 0 && r < 1 ? r : fail(`--rates entries must be fractions in (0, 1), got "${s}"`);
  });
}
