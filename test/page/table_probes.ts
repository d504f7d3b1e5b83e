// Probes for the tables work: the mixed-type table likelihood kernel (shaders/table_nll.wgsl).
import type { GpuContext } from '../../src/gpu/context.ts';
import { runDispatches } from '../../src/gpu/context.ts';
import { allocMatrix, readMatrix } from '../../src/gpu/matrix.ts';
import { tableNll } from '../../src/kernels/table_nll.ts';
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
  };
}
