// Launcher for shaders/table_nll.wgsl: the mixed-type table likelihood's loss rows, its gradient
// wrt the decoder output and the learned log-variances of the real columns.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createBuffer, createUniform, type GpuMatrix } from '../gpu/matrix.ts';
import { KIND_CODE, type TableLayout } from '../parts/likelihood/table_layout.ts';

export interface TableNllArgs {
  layout: TableLayout;
  /** decoder output (M, D) */
  out: GpuMatrix;
  /** data rows [x | mask] (M, 2D) */
  xm: GpuMatrix;
  dOut: GpuMatrix;
  rowLoss: GpuMatrix;
  scale: number;
  logvar: GpuMatrix;
  dLogvar: GpuMatrix;
  /** the importance-weighted bound's per-row weights (1, M): logvarGrad weighs row m by them */
  rowWeights?: GpuMatrix;
}

/** `loss`: rows and dOut; `logvarGrad`: dLogvar (weighted by `rowWeights` when given), to run after `loss`. */
export function tableNll(ctx: GpuContext, a: TableNllArgs): { loss: Dispatch; logvarGrad: Dispatch } {
  const label = 'table_nll';
  const M = a.out.rows, D = a.layout.width, C = a.layout.columns.length;
  if (a.out.cols !== D) fail(`${label}: the decoder output has ${a.out.cols} columns but the table's layout is ${D} wide`);
  if (a.xm.rows !== M || a.xm.cols !== 2 * D) fail(`${label}: ${a.xm.label} is ${a.xm.rows}x${a.xm.cols}, expected ${M}x${2 * D} ([x | mask])`);
  if (a.dOut.rows !== M || a.dOut.cols !== D) fail(`${label}: ${a.dOut.label} is ${a.dOut.rows}x${a.dOut.cols}, expected ${M}x${D}`);
  if (a.rowLoss.cols !== M) fail(`${label}: row losses hold ${a.rowLoss.cols} entries but the batch has ${M} rows`);
  for (const m of [a.logvar, a.dLogvar]) if (m.rows !== 1 || m.cols !== D) fail(`${label}: ${m.label} is ${m.rows}x${m.cols}, expected 1x${D}`);
  if (!Number.isFinite(a.scale)) fail(`${label}: gradient scale must be finite, got ${a.scale}`);
  const params = createUniform(ctx, `${label}.params`, [['u32', M], ['u32', D], ['u32', a.out.ld], ['u32', a.xm.ld], ['u32', C], ['f32', a.scale], ['u32', 0], ['u32', 0]]);
  const info = new Uint32Array(C * 4);
  a.layout.columns.forEach((c, i) => info.set([KIND_CODE[c.type], c.offset, c.width, 0], i * 4));
  const cols = createBuffer(ctx, info.byteLength, `${label}.cols`);
  ctx.device.queue.writeBuffer(cols, 0, info);
  const main = ctx.pipeline(label, 'main');
  const w = a.rowWeights;
  if (w && (w.rows !== 1 || w.cols !== M)) fail(`${label}: row weights are ${w.rows}x${w.cols}, expected 1x${M}`);
  const g = ctx.pipeline(label, w ? 'logvar_grad_weighted' : 'logvar_grad');
  const grad: Record<number, GPUBindingResource> = { 0: { buffer: params }, 1: binding(a.out), 2: binding(a.xm), 5: binding(a.logvar), 6: { buffer: cols }, 7: binding(a.dLogvar) };
  return {
    loss: {
      label, pipeline: main,
      bindGroup: bindGroup(ctx, main, [{ buffer: params }, binding(a.out), binding(a.xm), binding(a.dOut), binding(a.rowLoss), binding(a.logvar), { buffer: cols }], label),
      workgroups: [Math.ceil(M / 64), 1, 1],
    },
    logvarGrad: {
      label: `${label}.${w ? 'logvar_grad_weighted' : 'logvar_grad'}`, pipeline: g,
      bindGroup: bindGroup(ctx, g, w ? { ...grad, 8: binding(w) } : grad, label),
      workgroups: [Math.ceil(C / 64), 1, 1],
    },
  };
}
