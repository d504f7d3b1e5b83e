// shaders/mwg_table.wgsl against src/ref/mwg_table.ts on a table of real, binary and categorical
// columns (awkward widths, padding in the decoder's rows), every latent family.
// log_weight: likRatio 1e-4 + 1e-5 |ref| (a handful of f32 cell differences, logsumexps of up to 4
// levels); wProp, wCur 2e-4 + 1e-5 |ref| (as mwg_log_weight.test.ts); equal outputs give exactly 0.
// refill: logitsCur exact copies where a row accepted; every cell marked observed; observed cells
// and padding bit-identical whatever they hold; binary and categorical draws exactly the
// reference's, except a cell whose uniform lies within 1e-6 of a threshold (may flip under f32);
// real draws 1e-4 + 1e-4 |ref| + 2^-10 sd sqrt(-2 log u) (Box-Muller in f32; WGSL's cos is
// accurate to 2^-11 absolute); the running average 1e-6 + 1e-5 |ref|.
// The whole chain (src/tables/impute_mwg.ts) on a tiny trained table model: its imputations of the
// real cells agree with the importance-sampling conditional mean at a large K, two estimators of
// E[x_mis | x_obs] under one model, which agree only if the chain leaves p(z, x_mis | x_obs) invariant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mwgTableLogWeightRef, mwgTableRefillRef } from '../src/ref/mwg_table.ts';
import { heldOutSplit, tableConfig } from '../src/tables/impute_table.ts';
import { tableFromCells } from '../src/tables/read_table.ts';
import type { LatentFamily } from '../src/ref/mwg_log_weight.ts';
import { tableLayout, type TableColumnSpec } from '../src/parts/likelihood/table_layout.ts';
import { seedKey } from '../src/kernels/sampler.ts';
import { createRng } from '../src/rng.ts';
import { assertClose, assertPaddingZero, normalArray, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const COLUMNS: TableColumnSpec[] = [
  { type: 'real', width: 1 }, { type: 'categorical', width: 3 }, { type: 'binary', width: 1 }, { type: 'real', width: 1 }, { type: 'categorical', width: 4 },
];
const layout = tableLayout(COLUMNS), D = layout.width, C = COLUMNS.length;
const FAMILIES: LatentFamily[] = [{ kind: 'normal' }, { kind: 't', nu: 2.5 }, { kind: 'multivariate-t', nu: 5 }];

/** Completed rows [x | ones] (M, 2D) and decoder outputs in the ranges a model gives. */
function tableInputs(M: number, seed: number) {
  const r = createRng(seed);
  const xm = new Float32Array(M * 2 * D);
  for (let m = 0; m < M; m++) {
    xm.fill(1, m * 2 * D + D, (m + 1) * 2 * D);
    for (const c of layout.columns) {
      const at = m * 2 * D + c.offset;
      if (c.type === 'real') xm[at] = 2 * r.normal();
      else if (c.type === 'binary') xm[at] = r.int(2);
      else xm[at + r.int(c.width)] = 1;
    }
  }
  const out = (s: number) => Float32Array.from(uniformArray(M * D, s, -1, 1), (v, i) => (layout.columns.find((c) => c.offset <= i % D && i % D < c.offset + c.width)!.type === 'real' ? 3 * v : 8 * v));
  return { xm, logits: out(seed + 1), logitsCur: out(seed + 2), logvar: uniformArray(D, seed + 3, -2, 1) };
}

for (const family of FAMILIES) {
  for (const [M, L] of [[70, 3], [3, 1]] as const) {
    test(`mwg_table log_weight, ${family.kind}, M=${M} L=${L}`, async () => {
      const t = tableInputs(M, M + L);
      const h = new Float32Array(M * 2 * L), mu = normalArray(M * L, 4), lv = uniformArray(M * L, 5, -3, 1);
      for (let m = 0; m < M; m++) for (let j = 0; j < L; j++) { h[m * 2 * L + j] = mu[m * L + j]; h[m * 2 * L + L + j] = lv[m * L + j]; }
      const a = { family, M, L, columns: COLUMNS, ...t, h, z: normalArray(M * L, 6), zCur: normalArray(M * L, 7, 1.5) };
      const gpu = (await harness().call<{ terms: Float32Array }>('mwgTableLogWeight', a)).terms;
      const ref = mwgTableLogWeightRef(family, { ...a, layout, lv: t.logvar });
      const pick = (v: ArrayLike<number>, k: number) => Array.from({ length: M }, (_, m) => v[m * 4 + k]);
      assertClose(pick(gpu, 0), pick(ref, 0), { atol: 1e-4, rtol: 1e-5 }, 'likRatio');
      assertClose(pick(gpu, 1), pick(ref, 1), { atol: 2e-4, rtol: 1e-5 }, 'wProp');
      assertClose(pick(gpu, 2), pick(ref, 2), { atol: 2e-4, rtol: 1e-5 }, 'wCur');
      assert.ok(pick(ref, 0).some((v) => Math.abs(v) > 1), 'the ratios are not all tiny');
      const same = (await harness().call<{ terms: Float32Array }>('mwgTableLogWeight', { ...a, logitsCur: t.logits })).terms;
      assert.deepEqual(pick(same, 0), new Array(M).fill(0), 'equal outputs: a ratio of exactly 0');
    });
  }
}

for (const M of [130, 5]) {
  test(`mwg_table refill, M=${M}`, async () => {
    const t = tableInputs(M, 40 + M);
    const r = createRng(M);
    const miss = new Float32Array(M * D), chain = new Float32Array(M * 4);
    const xm = t.xm.slice(), bits = new Uint32Array(xm.buffer);
    const odd = [0x00000001, 0x80000000, 0x7fc01234, 0x7f7fffff, 0x3dcccccd];
    for (let m = 0; m < M; m++) {
      chain[m * 4 + 1] = r.next() < 0.5 ? 1 : 0;
      for (const c of layout.columns) {
        const missing = r.next() < 0.6;
        for (let k = 0; k < c.width; k++) {
          miss[m * D + c.offset + k] = missing ? 1 : 0;
          xm[m * 2 * D + D + c.offset + k] = missing ? 0 : 1;
          if (!missing) bits[m * 2 * D + c.offset + k] = odd[(m + k) % odd.length]; // observed: odd bits that must survive
        }
      }
    }
    const o = { seed: 2 ** 33 + 5, step: 777, weight: 0.25 };
    const acc = uniformArray(M * D, 9, 0, 1);
    const gpu = await harness().call<{ xm: Float32Array; logitsCur: Float32Array; acc: Float32Array }>('mwgTableRefill', { M, columns: COLUMNS, ...o, chain, logits: t.logits, logitsCur: t.logitsCur, miss, xm, acc, logvar: t.logvar });
    const key = seedKey(o.seed);
    const ref = mwgTableRefillRef({ M, layout, chain, logits: t.logits, logitsCur: t.logitsCur, miss, xm, acc, lv: t.logvar }, key, o.step, o.weight);
    assertPaddingZero(gpu.logitsCur, M, D, 'logitsCur');
    assertPaddingZero(gpu.acc, M, D, 'acc');
    assert.deepEqual(Array.from(unpad(gpu.logitsCur, M, D)), Array.from(Float32Array.from(ref.logitsCur)), 'logitsCur');
    assertClose(unpad(gpu.acc, M, D), ref.acc, { atol: 1e-6, rtol: 1e-5 }, 'acc');
    const out = unpad(gpu.xm, M, 2 * D), outBits = new Uint32Array(out.buffer);
    let compared = 0, drawn = 0;
    for (let m = 0; m < M; m++) {
      for (let d = 0; d < D; d++) assert.equal(out[m * 2 * D + D + d], 1, `row ${m}: position ${d} marked observed`);
      layout.columns.forEach((col, c) => {
        const at = m * 2 * D + col.offset;
        if (!miss[m * D + col.offset]) {
          for (let k = 0; k < col.width; k++) assert.equal(outBits[at + k], bits[at + k], `row ${m} column ${c}: an observed cell changed`);
          return;
        }
        drawn++;
        const u = ref.u[m * C + c];
        if (col.type === 'real') {
          // WGSL's cos is accurate to 2^-11 absolute: the draw to sd sqrt(-2 log u) 2^-11, doubled
          const tol = 1e-4 + 2 ** -10 * Math.exp(0.5 * t.logvar[col.offset]) * Math.sqrt(-2 * Math.log(u));
          assertClose([out[at]], [ref.xm[at]], { atol: tol, rtol: 1e-4 }, `row ${m} column ${c} draw`);
          return;
        }
        // thresholds: p (binary), the cumulative sums (categorical); a uniform within 1e-6 may flip
        const cuts: number[] = [];
        if (col.type === 'binary') cuts.push(ref.p[m * D + col.offset]);
        else for (let k = 0, s = 0; k < col.width; k++) cuts.push((s += ref.p[m * D + col.offset + k]));
        if (cuts.some((x) => Math.abs(u - x) < 1e-6)) return;
        for (let k = 0; k < col.width; k++) assert.equal(out[at + k], ref.xm[at + k], `row ${m} column ${c} level ${k} (u = ${u})`);
        compared++;
      });
    }
    assert.ok(drawn > 0 && compared > 0, 'cells were drawn and compared');
  });
}

test('mwg_table chain: on a trained table model its real imputations agree with the importance-sampling mean', async () => {
  // 64 rows: three correlated real columns, a binary and a categorical one driven by one factor
  const r = createRng(12);
  const cells = Array.from({ length: 64 }, () => {
    const f = r.normal();
    return [(f + 0.3 * r.normal()).toFixed(3), (2 * f + 0.5 * r.normal()).toFixed(3), (-f + 0.4 * r.normal()).toFixed(3), f > 0 ? 'yes' : 'no', f < -0.5 ? 'a' : f < 0.5 ? 'b' : 'c'];
  });
  const t = tableFromCells({ source: 'mwg.csv', header: ['u', 'v', 'w', 'flag', 'kind'], cells });
  const { trainRows, trainMask } = heldOutSplit(t, 0.3, 2);
  const config = tableConfig(t, { prior: 'gaussian', epochs: 10, seed: 2, batch: 4, hidden: [16], latent: 2, lr: 0.01 });
  // MwG: 400 iterations, the average of the last 200; SNIS: K = 1000
  const res = await harness().call<{ snis: Float64Array; mwg: Float64Array; acceptance: number }>('tableTrainedImputers', { config, rows: trainRows, count: t.rows, epochs: 10, K: 1000, iterations: 400 });
  const C = t.columns.length, a: number[] = [], b: number[] = [];
  for (let i = 0; i < t.rows; i++) for (let c = 0; c < 3; c++) if (!trainMask[i * C + c]) { a.push(res.mwg[i * C + c]); b.push(res.snis[i * C + c]); }
  const n = a.length, mean = b.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(b.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
  const gap = Math.sqrt(a.reduce((s, x, k) => s + (x - b[k]) ** 2, 0) / n);
  console.log(`${n} real cells: MwG vs SNIS RMS gap ${gap.toFixed(3)}, SNIS imputations' sd ${sd.toFixed(3)}, MwG acceptance ${(100 * res.acceptance).toFixed(1)}%`);
  assert.ok(n >= 20 && sd > 0.3, `the imputations must vary from row to row (sd ${sd} over ${n} cells)`);
  assert.ok(gap < 0.25 * sd, `MwG and the importance-sampling mean disagree: RMS gap ${gap}, spread ${sd}`);
  assert.ok(res.acceptance > 0 && res.acceptance <= 1, `acceptance ${res.acceptance}`);
});
