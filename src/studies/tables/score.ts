// Scores of an imputation on the hidden cells only. Real columns: RMSE in standardised units, each
// column divided by the sd of its values observed in the data (before the study's holes), so one
// scale per column holds for every method, rate and seed; pooled over all hidden real cells.
// Binary and categorical columns: the error rate over their hidden cells, pooled per type.
import { fail } from '../../errors.ts';
import { cols, columnStats, type ColumnType, type StudyTable } from './table.ts';

export interface Scores {
  /** pooled standardised RMSE over hidden real cells (NaN without any) */
  realRmse: number;
  binaryError: number;
  categoricalError: number;
  /** per column: RMSE (real) or error rate, over its hidden cells (NaN without any) */
  perColumn: { name: string; type: ColumnType; hidden: number; value: number }[];
}

export const METRICS = [
  { key: 'realRmse', label: 'real RMSE (sd units)' },
  { key: 'binaryError', label: 'binary error rate' },
  { key: 'categoricalError', label: 'categorical error rate' },
] as const;
export type MetricKey = (typeof METRICS)[number]['key'];

/** Per real column, the sd of its observed values in `truth` (the data before the study's holes). */
export function realScales(truth: StudyTable): Float64Array {
  return Float64Array.from(truth.columns, (c, j) => {
    if (c.type !== 'real') return NaN;
    const s = columnStats(truth, j);
    if (!(s.sd > 0)) fail(`${truth.name}: column "${c.name}" is constant in the data; it has no scale to score against`);
    return s.sd;
  });
}

/** Scores `imputed` against `truth` on the cells `hide` marks. An imputation that leaves a hidden
 *  cell empty (NaN) is an error naming the cell, never a silently better score. */
export function scoreImputation(truth: StudyTable, hide: Uint8Array, imputed: Float64Array, scales = realScales(truth)): Scores {
  const d = cols(truth);
  if (imputed.length !== truth.values.length) fail(`imputation has ${imputed.length} cells, the table ${truth.values.length}`);
  const sum = new Float64Array(d), count = new Float64Array(d);
  for (let i = 0; i < truth.rows; i++) {
    for (let j = 0; j < d; j++) {
      const k = i * d + j;
      if (!hide[k]) continue;
      const y = imputed[k], x = truth.values[k];
      if (!Number.isFinite(y)) fail(`imputation left row ${i + 1}, column "${truth.columns[j].name}" empty`);
      count[j]++;
      sum[j] += truth.columns[j].type === 'real' ? ((y - x) / scales[j]) ** 2 : Number(y !== x);
    }
  }
  const pooled = (type: ColumnType) => {
    let s = 0, n = 0;
    truth.columns.forEach((c, j) => { if (c.type === type) { s += sum[j]; n += count[j]; } });
    return n === 0 ? NaN : type === 'real' ? Math.sqrt(s / n) : s / n;
  };
  return {
    realRmse: pooled('real'), binaryError: pooled('binary'), categoricalError: pooled('categorical'),
    perColumn: truth.columns.map((c, j) => ({
      name: c.name, type: c.type, hidden: count[j],
      value: count[j] === 0 ? NaN : c.type === 'real' ? Math.sqrt(sum[j] / count[j]) : sum[j] / count[j],
    })),
  };
}
