// A table's decoder layout: one likelihood family per column (real: Gaussian, binary: Bernoulli,
// categorical: softmax over K levels), each owning a block of the decoder's output row. The
// likelihood spec `{ kind: 'table', columns }` stores only each column's type and width, so a run's
// config.json rebuilds the same layout.
import { fail } from '../../errors.ts';
import type { ColumnType } from '../../tables/table.ts';

export interface TableColumnSpec {
  type: ColumnType;
  /** 1 for real and binary, K >= 2 levels for categorical */
  width: number;
}

export interface TableLayout {
  columns: (TableColumnSpec & { offset: number })[];
  /** the decoder's output width D (the data row is [x | mask], 2D wide) */
  width: number;
}

/** Kernel code of each family (shaders/table_nll.wgsl's `kind`). */
export const KIND_CODE: Record<ColumnType, number> = { real: 0, binary: 1, categorical: 2 };

export function tableLayout(columns: readonly TableColumnSpec[]): TableLayout {
  if (!Array.isArray(columns) || columns.length === 0) fail('a table likelihood needs at least one column');
  let offset = 0;
  const out = columns.map((c, i) => {
    if (!(c.type in KIND_CODE)) fail(`table column ${i + 1}: unknown type ${JSON.stringify(c.type)} (real, binary, categorical)`);
    const want = c.type === 'categorical' ? c.width : 1;
    if (!Number.isInteger(c.width) || c.width < 1 || c.width !== want || (c.type === 'categorical' && c.width < 2)) {
      fail(`table column ${i + 1} (${c.type}): width ${c.width} is not valid (1 for real and binary, the number of levels >= 2 for categorical)`);
    }
    const col = { type: c.type, width: c.width, offset };
    offset += c.width;
    return col;
  });
  return { columns: out, width: offset };
}
