// Probes for the tables work: the mixed-type table likelihood kernel (shaders/table_nll.wgsl) and
// the table Metropolis-within-Gibbs kernels (shaders/mwg_table.wgsl).
import type { GpuContext } from '../../src/gpu/context.ts';
import { runDispatches } from '../../src/gpu/context.ts';
import { allocMatrix, readMatrix } from '../../src/gpu/matrix.ts';
import { tableNll } from '../../src/kernels/table_nll.ts';
import { mwgTableLogWeight, mwgTableRefill } from '../../src/kernels/mwg_table.ts';
import { createTrainState } from '../../src/kernels/train_state.ts';
import type { LatentFamily } from '../../src/ref/mwg_log_weight.ts';
import { createWorkerApi } from '../../src/runtime/worker_api.ts';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import { tableLayout, type TableColumnSpec } from '../../src/parts/likelihood/table_layout.ts';
import { upload } from './kernel_probes.ts';

export function tableProbes(ctx: GpuContext) {
  return {
    async tableNll(a: { M: number; columns: TableColumnSpec[]; out: Float32Array; xm: Float32Array; logvar: Float32Array; scale: number }) {
      const layout = tableLayout(a.columns);
      const D = layout.width;
      const out = upload(ctx, a.M, D, a.out, 'out');
      const xm = upload(ctx, a.M, 2 * D, a.xm, 'xm');
      const logvar = upload(ctx, 1, D, a.logvar, 'logvar');
      // dOut and dLogvar start as NaN-free garbage, so a gradient the kernel fails to write shows
      const dOut = upload(ctx, a.M, D, new Float32Array(a.M * D).fill(7), 'dOut');
      const dLogvar = upload(ctx, 1, D, new Float32Array(D).fill(7), 'dLogvar');
      const rowLoss = allocMatrix(ctx, 1, a.M, 'rowLoss');
      const k = tableNll(ctx, { layout, out, xm, dOut, rowLoss, scale: a.scale, logvar, dLogvar });
      runDispatches(ctx, [k.loss, k.logvarGrad]);
      return { rowLoss: await readMatrix(ctx, rowLoss), grad: await readMatrix(ctx, dOut), gradLogvar: await readMatrix(ctx, dLogvar) };
    },
    async mwgTableLogWeight(a: {
      family: LatentFamily; M: number; L: number; columns: TableColumnSpec[];
      xm: Float32Array; logits: Float32Array; logitsCur: Float32Array; logvar: Float32Array; h: Float32Array; z: Float32Array; zCur: Float32Array;
    }) {
      const layout = tableLayout(a.columns);
      const D = layout.width;
      const terms = allocMatrix(ctx, a.M, 4, 'terms');
      runDispatches(ctx, [mwgTableLogWeight(ctx, a.family, {
        layout, xm: upload(ctx, a.M, 2 * D, a.xm, 'xm'), logits: upload(ctx, a.M, D, a.logits, 'logits'), logitsCur: upload(ctx, a.M, D, a.logitsCur, 'logitsCur'),
        logvar: upload(ctx, 1, D, a.logvar, 'logvar'), h: upload(ctx, a.M, 2 * a.L, a.h, 'h'), z: upload(ctx, a.M, a.L, a.z, 'z'), zCur: upload(ctx, a.M, a.L, a.zCur, 'zCur'), terms,
      })]);
      return { terms: await readMatrix(ctx, terms) };
    },
    /** A table model trained for `epochs` through the worker API itself (what npm run impute runs),
     *  then the same rows imputed by the importance-weighted mean (K draws) and by MwG. */
    async tableTrainedImputers(a: { config: VaeConfig; rows: Float32Array; count: number; epochs: number; K: number; iterations: number }) {
      const api = createWorkerApi(ctx, { blob: async () => new Uint8Array(0), progress: () => undefined });
      await api.tableInit({ config: a.config, rows: a.rows, count: a.count });
      for (let e = 0; e < a.epochs; e++) await api.runEpoch();
      const { params } = await api.exportState();
      const snis = await api.tableImpute({ config: a.config, params, rows: a.rows, count: a.count, K: a.K, M: 0, seed: 7 });
      const mwg = await api.tableMwg({ config: a.config, params, rows: a.rows, count: a.count, iterations: a.iterations });
      return { snis: snis.values, mwg: mwg.values, acceptance: mwg.acceptance };
    },
    /** one refill at one step, with the accept decisions given as `chain`; outputs padded, so a
     *  test sees that padding is left alone */
    async mwgTableRefill(a: {
      M: number; columns: TableColumnSpec[]; seed: number; step: number; weight: number;
      chain: Float32Array; logits: Float32Array; logitsCur: Float32Array; miss: Float32Array; xm: Float32Array; acc: Float32Array; logvar: Float32Array;
    }) {
      const layout = tableLayout(a.columns);
      const D = layout.width;
      const xm = upload(ctx, a.M, 2 * D, a.xm, 'xm'), logitsCur = upload(ctx, a.M, D, a.logitsCur, 'logitsCur'), acc = upload(ctx, a.M, D, a.acc, 'acc');
      runDispatches(ctx, [mwgTableRefill(ctx, {
        layout, xm, logits: upload(ctx, a.M, D, a.logits, 'logits'), logitsCur, logvar: upload(ctx, 1, D, a.logvar, 'logvar'),
        state: createTrainState(ctx, a.step), chain: upload(ctx, a.M, 4, a.chain, 'chain'), miss: upload(ctx, a.M, D, a.miss, 'miss'), acc,
      }, { seed: a.seed, weight: a.weight })]);
      return { xm: await readMatrix(ctx, xm, true), logitsCur: await readMatrix(ctx, logitsCur, true), acc: await readMatrix(ctx, acc, true) };
    },
  };
}
