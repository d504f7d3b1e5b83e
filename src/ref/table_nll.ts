// Float64 CPU reference of shaders/table_nll.wgsl: the mixed-type table likelihood over observed
// cells only, one function per column family (each the reference of its likelihood part), and the
// whole row loss with its gradients. out (B, D) decoder outputs; xm (B, 2D) rows of [x | mask];
// logvar (D) learned log-variances (read at real columns only). Loss = mean over rows: gradients
// carry 1/B. A missing cell contributes nothing and gets a gradient of exactly 0.
import type { TableLayout } from '../parts/likelihood/table_layout.ts';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** -log N(x | mean, exp(lv)), d/dmean, d/dlv */
export function realCell(mean: number, x: number, lv: number): { loss: number; dMean: number; dLv: number } {
  const d = x - mean, inv = Math.exp(-lv);
  return { loss: 0.5 * d * d * inv + 0.5 * lv + HALF_LOG_2PI, dMean: -d * inv, dLv: 0.5 - 0.5 * d * d * inv };
}

/** -log Bernoulli(x | sigmoid(l)), d/dl */
export function binaryCell(l: number, x: number): { loss: number; dLogit: number } {
  const p = l >= 0 ? 1 / (1 + Math.exp(-l)) : Math.exp(l) / (1 + Math.exp(l));
  return { loss: Math.max(l, 0) - x * l + Math.log1p(Math.exp(-Math.abs(l))), dLogit: p - x };
}

/** -log Categorical(x | softmax(l)) for a one-hot (or any probability vector) x, d/dl */
export function categoricalCell(l: ArrayLike<number>, x: ArrayLike<number>): { loss: number; dLogits: Float64Array } {
  let top = -Infinity;
  for (let k = 0; k < l.length; k++) top = Math.max(top, l[k]);
  let z = 0, picked = 0;
  for (let k = 0; k < l.length; k++) {
    z += Math.exp(l[k] - top);
    picked += x[k] * l[k];
  }
  const lse = top + Math.log(z);
  return { loss: lse - picked, dLogits: Float64Array.from(l, (v, k) => Math.exp(v - lse) - x[k]) };
}

/** `rowWeights` (B): the importance-weighted bound's weights, scaling each row's gradients (the
 *  kernel's iw_weights.wgsl scaling of dOut and its logvar_grad_weighted); absent: all 1. */
export function tableNll(
  out: ArrayLike<number>, xm: ArrayLike<number>, logvar: ArrayLike<number>, layout: TableLayout, B: number, rowWeights?: ArrayLike<number>,
): { rowLoss: Float64Array; grad: Float64Array; gradLogvar: Float64Array } {
  const D = layout.width;
  const rowLoss = new Float64Array(B), grad = new Float64Array(B * D), gradLogvar = new Float64Array(D);
  for (let i = 0; i < B; i++) {
    const wB = (rowWeights ? rowWeights[i] : 1) / B;
    let s = 0;
    for (const col of layout.columns) {
      const o = i * D + col.offset, xb = i * 2 * D + col.offset;
      if (!(xm[xb + D] > 0.5)) continue;
      if (col.type === 'real') {
        const r = realCell(out[o], xm[xb], logvar[col.offset]);
        s += r.loss;
        grad[o] = r.dMean * wB;
        gradLogvar[col.offset] += r.dLv * wB;
      } else if (col.type === 'binary') {
        const r = binaryCell(out[o], xm[xb]);
        s += r.loss;
        grad[o] = r.dLogit * wB;
      } else {
        const K = col.width;
        const r = categoricalCell(Array.from({ length: K }, (_, k) => out[o + k]), Array.from({ length: K }, (_, k) => xm[xb + k]));
        s += r.loss;
        for (let k = 0; k < K; k++) grad[o + k] = r.dLogits[k] * wB;
      }
    }
    rowLoss[i] = s;
  }
  return { rowLoss, grad, gradLogvar };
}
