// The table likelihood's float64 reference (src/ref/table_nll.ts) against checks that do not share
// its code: the row loss against -log p of each observed cell written out from the densities'
// definitions (normal: the oracle of src/ref/log_density.ts; Bernoulli and categorical typed here),
// missing cells adding nothing; every gradient against central finite differences of the loss, so
// a missing cell's gradient must be exactly 0. CPU only (the kernel is compared to this reference
// in table_nll.test.ts); these are the checks `npm run mutants` relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableNll } from '../src/ref/table_nll.ts';
import { logDensity } from '../src/ref/log_density.ts';
import { tableLayout, type TableColumnSpec } from '../src/parts/likelihood/table_layout.ts';
import { uniformArray } from './util/compare.ts';
import { tableRows } from './util/table_fixture.ts';

const COLUMNS: TableColumnSpec[] = [
  { type: 'real', width: 1 }, { type: 'binary', width: 1 }, { type: 'categorical', width: 3 },
  { type: 'real', width: 1 }, { type: 'categorical', width: 2 }, { type: 'binary', width: 1 },
];
const L = tableLayout(COLUMNS), D = L.width;

const rows = (B: number, seed: number, missing: number) => tableRows(B, seed, { columns: COLUMNS, missing });

test('row loss = -sum over observed cells of log p, from the definitions', () => {
  const B = 6;
  const out = Float64Array.from(uniformArray(B * D, 31, -4, 4));
  const xm = rows(B, 32, 0.3);
  const lv = Float64Array.from(uniformArray(D, 33, -1, 1));
  const f = tableNll(out, xm, lv, L, B);
  for (let m = 0; m < B; m++) {
    let want = 0;
    for (const c of L.columns) {
      const at = m * 2 * D + c.offset, o = m * D + c.offset;
      if (xm[at + D] !== 1) continue;
      if (c.type === 'real') want -= logDensity({ kind: 'normal' }, [xm[at]], [out[o]], [Math.exp(lv[c.offset] / 2)]);
      else if (c.type === 'binary') {
        const p = 1 / (1 + Math.exp(-out[o]));
        want -= xm[at] === 1 ? Math.log(p) : Math.log(1 - p);
      } else {
        const k = [0, 1, 2].slice(0, c.width).find((j) => xm[at + j] === 1)!;
        let z = 0;
        for (let j = 0; j < c.width; j++) z += Math.exp(out[o + j]);
        want -= Math.log(Math.exp(out[o + k]) / z);
      }
    }
    assert.ok(Math.abs(f.rowLoss[m] - want) < 1e-10, `row ${m}: ${f.rowLoss[m]} vs definition ${want}`);
  }
});

test('gradients match central finite differences; missing cells get exactly 0; a row with nothing observed costs 0', () => {
  const B = 4;
  const out = Float64Array.from(uniformArray(B * D, 11, -2, 2));
  const xm = rows(B, 12, 0.35);
  xm.fill(0, 3 * 2 * D, 4 * 2 * D);
  const lv = Float64Array.from(uniformArray(D, 13, -1, 1));
  const f = tableNll(out, xm, lv, L, B);
  assert.equal(f.rowLoss[3], 0);
  const total = (o: Float64Array, l: Float64Array) => tableNll(o, xm, l, L, B).rowLoss.reduce((a, b) => a + b, 0) / B;
  const h = 1e-6;
  let missing = 0;
  for (let k = 0; k < B * D; k++) {
    const p = Float64Array.from(out), n = Float64Array.from(out);
    p[k] += h; n[k] -= h;
    const fd = (total(p, lv) - total(n, lv)) / (2 * h);
    assert.ok(Math.abs(fd - f.grad[k]) < 1e-8, `dOut[${k}]: ${fd} vs ${f.grad[k]}`);
    if (xm[Math.floor(k / D) * 2 * D + D + (k % D)] === 0) {
      missing++;
      assert.equal(f.grad[k], 0, `missing cell ${k}`);
    }
  }
  assert.ok(missing > D, 'the batch has missing cells');
  for (let k = 0; k < D; k++) {
    const p = Float64Array.from(lv), n = Float64Array.from(lv);
    p[k] += h; n[k] -= h;
    const fd = (total(out, p) - total(out, n)) / (2 * h);
    assert.ok(Math.abs(fd - f.gradLogvar[k]) < 1e-8, `dLogvar[${k}]: ${fd} vs ${f.gradLogvar[k]}`);
  }
});
