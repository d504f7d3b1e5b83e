// Trains both priors side by side, each on its own worker (device), through imputeTable: the same
// training and imputation as `npm run impute`. After every epoch each model imputes the held-out
// cells (10% of the observed ones, hidden from training; the same cells for both models) with a
// few importance samples, so the page can show the held-out error per column live.
import type { GpuWorker } from '../../node/worker.ts';
import { chooseHeldOut, imputeTable, scoreHeldOut, tableConfig, type HeldOutScore, type ImputeOptions, type ImputeResult } from '../../tables/impute_table.ts';
import type { ImputeRowsResult } from '../../tables/impute_gpu.ts';
import { maskedRows, type TableData } from '../../tables/table.ts';

export type Prior = 'gaussian' | 't';
export const LIVE_K = 20;

export interface PairOptions {
  epochs: number;
  seed: number;
  multiple: number;
  onEpoch: (prior: Prior, epoch: number, loss: number, heldOut: HeldOutScore[]) => void;
}

export async function trainPair(workers: Record<Prior, GpuWorker>, table: TableData, o: PairOptions): Promise<Record<Prior, ImputeResult>> {
  const holdout = 0.1;
  const held = chooseHeldOut(table, holdout, o.seed);
  const trainRows = maskedRows(table, table.mask.map((m, i) => (m && !held[i] ? 1 : 0)));
  const one = async (prior: Prior): Promise<ImputeResult> => {
    const w = workers[prior];
    const opts: ImputeOptions = { prior, epochs: o.epochs, seed: o.seed, holdout, multiple: o.multiple };
    const config = tableConfig(table, opts);
    return imputeTable(w, table, {
      ...opts,
      onEpoch: async (stats, state) => {
        const r = await w.call<ImputeRowsResult>('tableImpute', { config, params: state.params, rows: trainRows, count: table.rows, K: LIVE_K, M: 0, seed: o.seed });
        o.onEpoch(prior, state.epoch, stats.trainLoss, scoreHeldOut(table, held, r.values));
      },
    });
  };
  const [gaussian, t] = await Promise.all([one('gaussian'), one('t')]);
  return { gaussian, t };
}
