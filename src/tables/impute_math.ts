// Imputation from K importance-weighted draws (MIWAE, Mattei & Frellsen 2019): per row, z_k ~
// q(z | x_obs) with log w_k = log p(x_obs | z_k) + log p(z_k) - log q(z_k | x_obs).
//  - single imputation: the self-normalised importance-sampling estimate of E[x_mis | x_obs]: the
//    weighted mean of the decoder's means for real columns; for binary and categorical columns the
//    weighted class probabilities, whose mode is imputed;
//  - multiple imputation: sampling-importance-resampling: draw k with probability w_k, then
//    x_mis ~ p(x_mis | z_k) (a real column: mean + sd N(0, 1) with the learned variance).
// Values come out in the encoded units: standardised reals, level indices.
import { fail } from '../errors.ts';
import type { TableLayout } from '../parts/likelihood/table_layout.ts';

export interface Draws {
  n: number;
  K: number;
  /** the decoder's output width */
  D: number;
  /** (n, K) log importance weights */
  logW: Float64Array;
  /** (K, n, D) decoder outputs: a real column's mean, a binary column's logit, a categorical's logits */
  out: Float32Array;
}

/** Normalised weights of one row (max-shifted in float64); `ess` the effective sample size. */
export function rowWeights(d: Draws, i: number): { w: Float64Array; ess: number } {
  let max = -Infinity;
  for (let k = 0; k < d.K; k++) max = Math.max(max, d.logW[i * d.K + k]);
  if (!Number.isFinite(max)) fail(`row ${i + 1}: every importance weight is zero or not finite`);
  const w = new Float64Array(d.K);
  let s = 0;
  for (let k = 0; k < d.K; k++) s += w[k] = Math.exp(d.logW[i * d.K + k] - max);
  let s2 = 0;
  for (let k = 0; k < d.K; k++) {
    w[k] /= s;
    s2 += w[k] * w[k];
  }
  return { w, ess: 1 / s2 };
}

const sigmoid = (l: number) => (l >= 0 ? 1 / (1 + Math.exp(-l)) : Math.exp(l) / (1 + Math.exp(l)));

/** Class probabilities of a binary (2) or categorical (K) block of one draw. */
function probs(col: TableLayout['columns'][number], out: Float32Array, at: number): Float64Array {
  if (col.type === 'binary') {
    const p = sigmoid(out[at]);
    return Float64Array.from([1 - p, p]);
  }
  let top = -Infinity;
  for (let j = 0; j < col.width; j++) top = Math.max(top, out[at + j]);
  const e = Float64Array.from({ length: col.width }, (_, j) => Math.exp(out[at + j] - top));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Single imputation: (n, C) values in encoded units for every cell (the caller keeps the
 *  observed ones); also each row's effective sample size. */
export function snisImpute(layout: TableLayout, d: Draws): { values: Float64Array; ess: Float64Array } {
  const C = layout.columns.length;
  const values = new Float64Array(d.n * C), ess = new Float64Array(d.n);
  for (let i = 0; i < d.n; i++) {
    const r = rowWeights(d, i);
    ess[i] = r.ess;
    layout.columns.forEach((col, c) => {
      if (col.type === 'real') {
        let m = 0;
        for (let k = 0; k < d.K; k++) m += r.w[k] * d.out[(k * d.n + i) * d.D + col.offset];
        values[i * C + c] = m;
        return;
      }
      const p = new Float64Array(col.type === 'binary' ? 2 : col.width);
      for (let k = 0; k < d.K; k++) probs(col, d.out, (k * d.n + i) * d.D + col.offset).forEach((v, j) => (p[j] += r.w[k] * v));
      let best = 0;
      for (let j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
      values[i * C + c] = best;
    });
  }
  return { values, ess };
}

/** Multiple imputation: M tables (n, C) by sampling-importance-resampling. `logvar` (D): the
 *  learned log-variances (read at real columns); `next` a seeded uniform [0, 1) generator and
 *  `normal` a seeded N(0, 1). */
export function sirImpute(layout: TableLayout, d: Draws, logvar: ArrayLike<number>, M: number, rng: { next(): number; normal(): number }): Float64Array[] {
  const C = layout.columns.length;
  const pick = (p: ArrayLike<number>) => {
    let u = rng.next(), j = 0;
    for (; j < p.length - 1; j++) {
      u -= p[j];
      if (u < 0) break;
    }
    return j;
  };
  const tables = Array.from({ length: M }, () => new Float64Array(d.n * C));
  for (let i = 0; i < d.n; i++) {
    const { w } = rowWeights(d, i);
    for (const t of tables) {
      const k = pick(w);
      const base = (k * d.n + i) * d.D;
      layout.columns.forEach((col, c) => {
        t[i * C + c] = col.type === 'real' ? d.out[base + col.offset] + Math.exp(0.5 * logvar[col.offset]) * rng.normal() : pick(probs(col, d.out, base + col.offset));
      });
    }
  }
  return tables;
}
