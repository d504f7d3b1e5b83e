// The held-out score must not leak into training: imputeTable's real columns are standardised from
// the cells training sees only. Run against a stand-in GPU worker that records what imputeTable
// sends (no GPU, milliseconds): the training rows must not depend on the held-out cells' values,
// visible cells must be encoded with the mean and sd of the visible cells (computed here, by
// hand), and a model that imputes its own mean (0 in its units) must score what mean
// imputation from the visible cells scores on the same held-out cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GpuWorker } from '../src/node/worker.ts';
import type { AdapterDescription } from '../src/gpu/device.ts';
import { chooseHeldOut, imputeTable, meanModeHeldOut, type ImputeOptions } from '../src/tables/impute_table.ts';
import { tableFromCells } from '../src/tables/read_table.ts';
import { createRng } from '../src/rng.ts';

const ADAPTER = { vendor: 'stand-in', architecture: '', device: '', description: '', isFallback: false, isSoftware: true, hasTimestampQuery: false, maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 } satisfies AdapterDescription;
const OPTIONS: ImputeOptions = { prior: 'gaussian', epochs: 1, seed: 4, batch: 8, hidden: [4], latent: 2, K: 3, holdout: 0.2 };

/** A worker that trains nothing and imputes every cell as 0 in the model's units (its mean). */
function standIn(): { worker: GpuWorker; calls: { fn: string; args: Record<string, unknown> }[] } {
  const calls: { fn: string; args: Record<string, unknown> }[] = [];
  const worker: GpuWorker = {
    adapter: ADAPTER,
    runtime: 'node',
    async call<T>(fn: string, args?: unknown): Promise<T> {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push({ fn, args: a });
      const reply: Record<string, unknown> = {
        tableInit: { stepsPerEpoch: 1, paramBytes: 4 },
        runEpoch: { epoch: 1, step: 1, trainRe: 0, trainKl: 0, trainLoss: 0, validRe: 0, validKl: 0, validLoss: 0, seconds: 0 },
        exportState: { epoch: 1, step: 1, params: new Float32Array(1), moments: [new Float32Array(1), new Float32Array(1)] },
        tableImpute: { values: new Float64Array((a.count as number) * 3), ess: new Float64Array(a.count as number).fill(1), multiple: [] },
      };
      if (!(fn in reply)) throw new Error(`unexpected worker call ${fn}`);
      return reply[fn] as T;
    },
    close: async () => undefined,
  };
  return { worker, calls };
}

/** 40 rows: two real columns and a binary one, a few holes. */
function cells(): string[][] {
  const rng = createRng(9);
  return Array.from({ length: 40 }, (_, r) => {
    const a = (10 + 5 * rng.normal()).toFixed(2), b = (3 * rng.normal()).toFixed(3), c = rng.next() < 0.5 ? 'x' : 'y';
    return [r % 11 === 3 ? '' : a, r % 13 === 5 ? '' : b, c];
  });
}

const table = (c: string[][]) => tableFromCells({ source: 't.csv', header: ['a', 'b', 'c'], cells: c });

test('tables: held-out cells never shape the training standardisation; scores in the reader\'s units', async () => {
  const plain = table(cells());
  const held = chooseHeldOut(plain, OPTIONS.holdout!, OPTIONS.seed);
  const heldA = (r: number) => held[r * 3] === 1;
  assert.ok(plain.columns.every((c, j) => Array.from({ length: 40 }, (_, r) => held[r * 3 + j]).some(Boolean)), 'every column has held-out cells');
  // the same table with column a's held-out cells made extreme
  const extreme = table(cells().map((row, r) => (heldA(r) ? ['1000000', ...row.slice(1)] : row)));
  assert.deepEqual(chooseHeldOut(extreme, OPTIONS.holdout!, OPTIONS.seed), held, 'held-out cells depend on the mask only');
  assert.notEqual(extreme.columns[0].mean, plain.columns[0].mean, 'the reader\'s own standardisation sees every observed cell');

  const runs = [];
  for (const t of [plain, extreme]) {
    const s = standIn();
    const result = await imputeTable(s.worker, t, OPTIONS);
    runs.push({ t, result, calls: s.calls });
  }
  const init = runs.map((r) => r.calls.find((c) => c.fn === 'tableInit')!.args.rows as Float32Array);
  assert.deepEqual(Array.from(init[1]), Array.from(init[0]), 'the training rows do not depend on the held-out values');
  // the scored imputation conditions on the training rows too
  const scoredRows = runs.map((r) => r.calls.filter((c) => c.fn === 'tableImpute')[0].args.rows as Float32Array);
  assert.deepEqual(Array.from(scoredRows[1]), Array.from(scoredRows[0]));

  // visible cells of a real column: (v - mean) / sd over the visible cells, computed by hand
  const raw = cells();
  for (const [j, name] of [[0, 'a'], [1, 'b']] as const) {
    const visible = raw.map((row, r) => ({ r, v: row[j] })).filter(({ r, v }) => v !== '' && !held[r * 3 + j]).map(({ r, v }) => ({ r, v: Number(v) }));
    const mean = visible.reduce((s, { v }) => s + v, 0) / visible.length;
    const sd = Math.sqrt(visible.reduce((s, { v }) => s + (v - mean) ** 2, 0) / visible.length);
    const D = plain.width;
    for (const { r, v } of visible) {
      const got = init[0][r * 2 * D + plain.columns[j].offset];
      assert.ok(Math.abs(got - (v - mean) / sd) < 1e-5, `column ${name} row ${r}: ${got}, expected ${(v - mean) / sd}`);
    }
  }

  for (const { t, result, calls } of runs) {
    // a model imputing 0 in its units imputes the visible cells' mean: mean imputation's score (up to float32 encodings)
    const base = meanModeHeldOut(t, result.heldOutMask);
    for (const [i, h] of result.heldOut.entries()) {
      if (h.type !== 'real') continue;
      assert.ok(Math.abs(h.error - base[i].error) < 1e-6, `${h.column}: ${h.error} vs mean imputation ${base[i].error}`);
    }
    // the final imputation sees every observed cell (held-out ones too), in the model's units
    const finalRows = calls.filter((c) => c.fn === 'tableImpute')[1].args.rows as Float32Array;
    const D = t.width;
    for (let r = 0; r < t.rows; r++) if (t.mask[r * 3] && heldA(r)) assert.equal(finalRows[r * 2 * D + D], 1, `row ${r}: the held-out cell is observed for the final imputation`);
    // a missing cell of a real column is completed with the visible cells' mean, in the data's units
    const r0 = 3; // row 3: column a is missing
    const visibleA = raw.map((row, r) => ({ r, v: row[0] })).filter(({ r, v }) => v !== '' && !held[r * 3]).map(({ v }) => Number(v));
    const meanA = visibleA.reduce((s, v) => s + v, 0) / visibleA.length;
    assert.ok(Math.abs(result.completed[r0 * 3] - meanA) < 1e-4, `completed ${result.completed[r0 * 3]}, expected ${meanA}`);
  }
});
