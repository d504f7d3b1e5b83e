// The baseline: every hole of a real column gets the column's observed mean, every hole of a
// binary or categorical column its most frequent observed level (the lowest index on a tie).
import { cols, columnStats, type StudyTable } from './table.ts';

export function meanModeImpute(t: StudyTable): Float64Array {
  const d = cols(t);
  const fill = t.columns.map((c, j) => {
    if (c.type === 'real') return columnStats(t, j).mean;
    const counts = new Float64Array(c.levels!.length);
    for (let i = 0; i < t.rows; i++) {
      const v = t.values[i * d + j];
      if (!Number.isNaN(v)) counts[v]++;
    }
    let best = 0;
    for (let k = 1; k < counts.length; k++) if (counts[k] > counts[best]) best = k;
    return best;
  });
  return t.values.map((v, k) => (Number.isNaN(v) ? fill[k % d] : v));
}
