// The table MwG kernels' float64 reference (src/ref/mwg_table.ts) against checks that do not share
// its code: the likelihood ratio against the difference of two table negative log-likelihoods with
// every cell observed (src/ref/table_nll.ts, itself checked against the densities' definitions);
// the refill's draws against the distributions they must follow (a real cell N(mean, exp(lv)), a
// binary one Bernoulli(sigmoid(l)), a categorical one softmax(l)), each within 5 standard errors
// over thousands of draws; observed cells untouched and every cell marked observed afterwards.
// CPU only, milliseconds (the kernels are compared to this reference in mwg_table.test.ts); these
// are the checks `npm run mutants` relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mwgTableRefillRef, tableLikRatio } from '../src/ref/mwg_table.ts';
import { tableNll } from '../src/ref/table_nll.ts';
import { tableLayout, type TableColumnSpec } from '../src/parts/likelihood/table_layout.ts';
import { createRng } from '../src/rng.ts';

const COLUMNS: TableColumnSpec[] = [
  { type: 'real', width: 1 }, { type: 'categorical', width: 3 }, { type: 'binary', width: 1 }, { type: 'real', width: 1 }, { type: 'categorical', width: 4 },
];
const layout = tableLayout(COLUMNS), D = layout.width;

/** A completed row [x | all ones] drawn at random. */
function completedRow(r: ReturnType<typeof createRng>): Float64Array {
  const xm = new Float64Array(2 * D);
  xm.fill(1, D);
  for (const c of layout.columns) {
    if (c.type === 'real') xm[c.offset] = 2 * r.normal();
    else if (c.type === 'binary') xm[c.offset] = r.int(2);
    else xm[c.offset + r.int(c.width)] = 1;
  }
  return xm;
}

const outputs = (r: ReturnType<typeof createRng>) => Float64Array.from({ length: D }, () => 4 * r.normal());

test('mwg_table reference: the likelihood ratio is the difference of the table NLLs over every cell', () => {
  const r = createRng(3);
  const lv = Float64Array.from({ length: D }, () => r.next() * 3 - 2);
  for (let i = 0; i < 50; i++) {
    const xm = completedRow(r), out = outputs(r), cur = outputs(r);
    const want = tableNll(cur, xm, lv, layout, 1).rowLoss[0] - tableNll(out, xm, lv, layout, 1).rowLoss[0];
    const got = tableLikRatio(layout, xm, out, cur, lv);
    assert.ok(Math.abs(got - want) <= 1e-9 * (1 + Math.abs(want)), `row ${i}: ${got}, expected ${want}`);
    assert.equal(tableLikRatio(layout, xm, out, out, lv), 0, 'equal outputs give exactly 0');
  }
});

test('mwg_table reference: missing cells are drawn from p(x | zCur); observed cells stay; every cell is marked observed', () => {
  const M = 4000, r = createRng(8);
  const row = outputs(r), lv = new Float64Array(D);
  // the real columns' log-variances well away from 0, so a standard deviation and a variance differ
  lv[layout.columns[0].offset] = -1.2;
  lv[layout.columns[3].offset] = 0.9;
  const logitsCur = new Float64Array(M * D), logits = new Float64Array(M * D), miss = new Float64Array(M * D), xm = new Float64Array(M * 2 * D);
  const chain = new Float64Array(M * 4);
  for (let m = 0; m < M; m++) {
    logitsCur.set(row, m * D);
    logits.fill(99, m * D, (m + 1) * D); // the proposal's: taken only where a row accepted
    // rows 0 mod 4: column 0 observed (holding 0.123), the rest missing; others all missing
    for (const c of layout.columns) {
      const observed = m % 4 === 0 && c.offset === 0;
      if (!observed) miss.fill(1, m * D + c.offset, m * D + c.offset + c.width);
      else {
        xm[m * 2 * D + c.offset] = 0.123;
        xm[m * 2 * D + D + c.offset] = 1;
      }
    }
    if (m % 7 === 3) chain[m * 4 + 1] = 1;
  }
  // rows that accepted draw from the proposal's outputs: make those rows' logits theirs too
  for (let m = 0; m < M; m++) if (chain[m * 4 + 1]) logits.set(row, m * D);
  const res = mwgTableRefillRef({ M, layout, chain, logits, logitsCur, miss, xm, acc: new Float64Array(M * D), lv }, [5, 6], 1234, 0.5);
  for (let m = 0; m < M; m++) {
    for (let d = 0; d < D; d++) assert.equal(res.xm[m * 2 * D + D + d], 1, `row ${m}: position ${d} marked observed`);
    if (m % 4 === 0) assert.equal(res.xm[m * 2 * D], 0.123, `row ${m}: the observed cell changed`);
    if (chain[m * 4 + 1]) assert.deepEqual(Array.from(res.logitsCur.subarray(m * D, (m + 1) * D)), Array.from(row));
  }
  const within = (got: number, want: number, se: number, what: string) => assert.ok(Math.abs(got - want) <= 5 * se, `${what}: ${got}, expected ${want} +- 5 x ${se}`);
  layout.columns.forEach((col, c) => {
    const rowsDrawn = Array.from({ length: M }, (_, m) => m).filter((m) => miss[m * D + col.offset] === 1);
    const n = rowsDrawn.length;
    if (col.type === 'real') {
      const v = rowsDrawn.map((m) => res.xm[m * 2 * D + col.offset]);
      const mean = v.reduce((a, b) => a + b, 0) / n, variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
      const s2 = Math.exp(lv[col.offset]);
      within(mean, row[col.offset], Math.sqrt(s2 / n), `column ${c} mean`);
      within(variance, s2, s2 * Math.sqrt(2 / (n - 1)), `column ${c} variance`);
      // the average the chain keeps: weight x the mean
      for (const m of rowsDrawn) assert.equal(res.acc[m * D + col.offset], 0.5 * row[col.offset]);
      return;
    }
    const K = col.type === 'binary' ? 2 : col.width;
    const level = (m: number) => (col.type === 'binary' ? res.xm[m * 2 * D + col.offset] : Array.from({ length: K }, (_, k) => res.xm[m * 2 * D + col.offset + k]).indexOf(1));
    const top = Math.max(...Array.from({ length: col.width }, (_, k) => row[col.offset + k]));
    const e = Array.from({ length: col.width }, (_, k) => Math.exp(row[col.offset + k] - top));
    const p = col.type === 'binary' ? [1 / (1 + Math.exp(row[col.offset])), 1 / (1 + Math.exp(-row[col.offset]))] : e.map((v) => v / e.reduce((a, b) => a + b, 0));
    if (col.type === 'categorical') for (const m of rowsDrawn) assert.equal(Array.from({ length: K }, (_, k) => res.xm[m * 2 * D + col.offset + k]).reduce((a, b) => a + b, 0), 1, 'one-hot');
    for (let k = 0; k < K; k++) {
      const freq = rowsDrawn.filter((m) => level(m) === k).length / n;
      within(freq, p[k], Math.sqrt((p[k] * (1 - p[k])) / n) + 1e-12, `column ${c} level ${k}`);
    }
  });
});
