// Metropolis-within-Gibbs for tables end to end on a GPU worker: a tiny table model is trained by
// imputeTable (MwG asked for, so its held-out score and acceptance rate come back), then on the
// same weights and rows the chain's imputations of the real cells are compared with the
// importance-sampling conditional mean at a large K: two estimators of E[x_mis | x_obs] under one
// model, which agree only if the chain's acceptance ratio and Gibbs draws leave p(z, x_mis | x_obs)
// invariant. Tiny sizes: seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openWorker } from '../src/node/worker.ts';
import { heldOutSplit, imputeTable, type ImputeOptions } from '../src/tables/impute_table.ts';
import type { ImputeRowsResult } from '../src/tables/impute_gpu.ts';
import type { MwgRowsResult } from '../src/tables/impute_mwg.ts';
import { tableFromCells } from '../src/tables/read_table.ts';
import { createRng } from '../src/rng.ts';

/** 64 rows: three correlated real columns, a binary and a categorical one driven by the same factor. */
function table() {
  const r = createRng(12);
  const cells = Array.from({ length: 64 }, () => {
    const f = r.normal();
    return [(f + 0.3 * r.normal()).toFixed(3), (2 * f + 0.5 * r.normal()).toFixed(3), (-f + 0.4 * r.normal()).toFixed(3), f > 0 ? 'yes' : 'no', f < -0.5 ? 'a' : f < 0.5 ? 'b' : 'c'];
  });
  return tableFromCells({ source: 'mwg.csv', header: ['u', 'v', 'w', 'flag', 'kind'], cells });
}

test('tables MwG: scored beside the others; its real imputations agree with the importance-sampling mean', async () => {
  const t = table();
  const o: ImputeOptions = { prior: 'gaussian', epochs: 10, seed: 2, batch: 4, hidden: [16], latent: 2, lr: 0.01, K: 20, holdout: 0.3, pseudoGibbsRounds: 2, mwgIterations: 20 };
  const w = await openWorker();
  try {
    const res = await imputeTable(w, t, o);
    assert.ok(res.heldOutMwg && res.heldOutPseudoGibbs, 'both comparison scores come back');
    assert.deepEqual(res.heldOutMwg.map((h) => h.column), res.heldOut.map((h) => h.column));
    assert.ok(res.heldOutMwg.every((h) => Number.isFinite(h.error) && h.error >= 0), JSON.stringify(res.heldOutMwg));
    assert.ok(res.mwgAcceptance !== undefined && res.mwgAcceptance > 0 && res.mwgAcceptance <= 1, `acceptance ${res.mwgAcceptance}`);

    // the same model and rows: MwG (400 iterations, the average of the last 200) against SNIS (K = 1000)
    const { trainRows, trainMask } = heldOutSplit(t, o.holdout!, o.seed);
    const args = { config: res.config, params: res.params, rows: trainRows, count: t.rows };
    const snis = await w.call<ImputeRowsResult>('tableImpute', { ...args, K: 1000, M: 0, seed: 7 });
    const mwg = await w.call<MwgRowsResult>('tableMwg', { ...args, iterations: 400 });
    const C = t.columns.length;
    const a: number[] = [], b: number[] = [];
    for (let i = 0; i < t.rows; i++) for (let c = 0; c < 3; c++) if (!trainMask[i * C + c]) { a.push(mwg.values[i * C + c]); b.push(snis.values[i * C + c]); }
    const n = a.length, mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(b.reduce((s, x) => s + (x - mean(b)) ** 2, 0) / n);
    const gap = Math.sqrt(a.reduce((s, x, k) => s + (x - b[k]) ** 2, 0) / n);
    console.log(`${n} real cells: MwG vs SNIS RMS gap ${gap.toFixed(3)}, SNIS imputations' sd ${sd.toFixed(3)}, MwG acceptance ${(100 * mwg.acceptance).toFixed(1)}%`);
    assert.ok(n >= 20 && sd > 0.3, `the imputations must vary from row to row (sd ${sd} over ${n} cells)`);
    assert.ok(gap < 0.25 * sd, `MwG and the importance-sampling mean disagree: RMS gap ${gap}, spread ${sd}`);
  } finally {
    await w.close();
  }
});
