// shaders/table_nll.wgsl (the mixed-type table likelihood over observed cells) against
// src/ref/table_nll.ts on the test's adapter, and a missing cell's gradient exactly 0 on the GPU
// (even under huge logits). The reference's own checks (definitions typed out, finite differences)
// are in table_nll_definition.test.ts.
// GPU tolerance: 2e-4 + 1e-5 |ref| on row losses (sums over columns), 1e-6 + 1e-5 |ref| on dOut,
// 1e-6 + 1e-4 |ref| on dLogvar (a sum over rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableNll } from '../src/ref/table_nll.ts';
import { tableLayout, type TableColumnSpec } from '../src/parts/likelihood/table_layout.ts';
import { assertClose, uniformArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';
import { tableRows } from './util/table_fixture.ts';

const harness = useHarness();
type Gpu = { rowLoss: Float32Array; grad: Float32Array; gradLogvar: Float32Array };
const COLUMNS: TableColumnSpec[] = [
  { type: 'real', width: 1 }, { type: 'binary', width: 1 }, { type: 'categorical', width: 3 },
  { type: 'real', width: 1 }, { type: 'categorical', width: 2 }, { type: 'binary', width: 1 },
];

/** Random [x | mask] rows for the layout: about 30% of the cells hidden (x = 0 there). */
const rows = (columns: TableColumnSpec[], M: number, seed: number) => Float32Array.from(tableRows(M, seed, { columns, missing: 0.3 }));

for (const M of [5, 70]) {
  for (const spread of [3, 60]) {
    test(`table_nll: M=${M}, outputs in +-${spread}, mixed columns, ~30% missing`, async () => {
      const L = tableLayout(COLUMNS), D = L.width;
      const out = uniformArray(M * D, M + spread, -spread, spread);
      const xm = rows(COLUMNS, M, M * 7 + spread);
      const logvar = uniformArray(D, 5, -1, 1);
      const gpu = await harness().call<Gpu>('tableNll', { M, columns: COLUMNS, out, xm, logvar, scale: 1 / M });
      const ref = tableNll(out, xm, logvar, L, M);
      assertClose(gpu.rowLoss, ref.rowLoss, { atol: 2e-4, rtol: 1e-5 }, 'row loss');
      assertClose(gpu.grad, ref.grad, { atol: 1e-6, rtol: 1e-5 }, 'dOut');
      assertClose(gpu.gradLogvar, ref.gradLogvar, { atol: 1e-6, rtol: 1e-4 }, 'dLogvar');
      let missing = 0;
      for (let m = 0; m < M; m++) {
        for (let d = 0; d < D; d++) {
          if (xm[m * 2 * D + D + d] !== 0) continue;
          missing++;
          assert.equal(gpu.grad[m * D + d], 0, `a missing cell (row ${m}, position ${d}) got gradient ${gpu.grad[m * D + d]}`);
        }
      }
      assert.ok(missing > 0, 'the test table has missing cells');
      // non-real positions' log-variances are unused: their gradient is written as 0
      L.columns.filter((c) => c.type !== 'real').forEach((c) => assert.equal(gpu.gradLogvar[c.offset], 0));
    });
  }
}

test('a layout with a one-level categorical or a wide binary column is refused', () => {
  assert.throws(() => tableLayout([{ type: 'categorical', width: 1 }]), /width 1 is not valid/);
  assert.throws(() => tableLayout([{ type: 'binary', width: 2 }]), /width 2 is not valid/);
});
