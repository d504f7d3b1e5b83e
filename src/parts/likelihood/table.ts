// A table's likelihood: a per-column choice of families (real: Gaussian with a learned variance
// per column, binary: Bernoulli, categorical: softmax over its levels), summed over the OBSERVED
// cells only. The data row is [x | mask] (2D wide for a decoder output of D), so the model's input
// carries the mask and this loss reads it. One kernel for all families (shaders/table_nll.wgsl,
// one dispatch for the loss and one for the log-variance gradient per step, whatever the mix of
// columns; reference: src/ref/table_nll.ts, one function per family).
import { fail } from '../../errors.ts';
import { tableNll as tableNllKernel } from '../../kernels/table_nll.ts';
import type { LikelihoodPart } from '../likelihood.ts';
import { tableLayout, type TableColumnSpec } from './table_layout.ts';

export function tableLikelihood(columns: readonly TableColumnSpec[]): LikelihoodPart {
  const layout = tableLayout(columns);
  const counts = (['real', 'binary', 'categorical'] as const).map((t) => [t, layout.columns.filter((c) => c.type === t).length] as const).filter(([, n]) => n > 0);
  const check = (D: number) => {
    if (D !== layout.width) fail(`the table likelihood is ${layout.width} wide but the decoder's output has ${D} columns`);
  };
  return {
    name: `table (${counts.map(([t, n]) => `${n} ${t}`).join(', ')}; observed cells only)`,
    spec: { kind: 'table', columns: [...columns] },
    // real columns' outputs are means, the others' logits: callers read the layout
    output: 'mean',
    // one learned log-variance per output position (read at real columns only; the others get a
    // zero gradient and stay at 0), so the layout is the table's, not a count of real columns
    extraParams: (D) => {
      check(D);
      return D;
    },
    gpu(ctx, a) {
      if (!a.extra) fail('the table likelihood needs its log-variance parameters');
      const k = tableNllKernel(ctx, { layout, out: a.out, xm: a.x, dOut: a.dOut, rowLoss: a.rowLoss, scale: a.scale, logvar: a.extra.values, dLogvar: a.extra.grads, rowWeights: a.rowWeights });
      return { loss: k.loss, extraGrad: k.logvarGrad };
    },
  };
}
