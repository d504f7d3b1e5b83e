// Float64 CPU reference of shaders/mwg_table.wgsl: Metropolis-within-Gibbs for a table model.
// `mwgTableLogWeightRef`: per row (likRatio, wProp, wCur, 0), likRatio = log p(xhat | z) -
// log p(xhat | zCur) under the mixed table likelihood over EVERY cell of the completed row, summed
// per cell as differences (equal outputs give 0 exactly); wProp, wCur as in mwg_log_weight.
// `mwgTableRefillRef`: the accepted rows take the proposal's decoder output, every cell of the row
// is marked observed, and each missing cell is drawn from p(x | zCur) (real: Gaussian with the
// learned variance, Box-Muller; binary: Bernoulli; categorical: inverse CDF, one-hot), with the
// running average of the means and probabilities. Same Philox counters as the kernel.
// xm (M, 2D) = [xhat | mask]; logits, logitsCur, miss, acc (M, D); h (M, 2L); z, zCur (M, L);
// terms, chain (M, 4); lv (D); all dense row-major.
import type { TableLayout } from '../parts/likelihood/table_layout.ts';
import { logDensityUnit, logPosterior, type LatentFamily } from './mwg_log_weight.ts';
import { philox4x32, uniform01 } from './sample_eps.ts';

export const TABLE_DRAW_TAG = 0x6d7774; // 'mwt'

const softplus = (l: number): number => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
const sigmoid = (l: number): number => (l >= 0 ? 1 / (1 + Math.exp(-l)) : Math.exp(l) / (1 + Math.exp(l)));

function logSumExp(v: ArrayLike<number>, at: number, K: number): number {
  let top = -Infinity;
  for (let k = 0; k < K; k++) top = Math.max(top, v[at + k]);
  let s = 0;
  for (let k = 0; k < K; k++) s += Math.exp(v[at + k] - top);
  return top + Math.log(s);
}

/** log p(x | out) - log p(x | outCur) over every cell of one row; x, out, outCur at offset 0. */
export function tableLikRatio(layout: TableLayout, x: ArrayLike<number>, out: ArrayLike<number>, outCur: ArrayLike<number>, lv: ArrayLike<number>): number {
  let s = 0;
  for (const col of layout.columns) {
    const at = col.offset;
    if (col.type === 'real') {
      const mu = out[at], mc = outCur[at];
      s += 0.5 * Math.exp(-lv[at]) * (mu - mc) * (2 * x[at] - mu - mc);
    } else if (col.type === 'binary') {
      s += x[at] * (out[at] - outCur[at]) - (softplus(out[at]) - softplus(outCur[at]));
    } else {
      let picked = 0;
      for (let k = 0; k < col.width; k++) picked += x[at + k] * (out[at + k] - outCur[at + k]);
      s += picked - (logSumExp(out, at, col.width) - logSumExp(outCur, at, col.width));
    }
  }
  return s;
}

export interface TableLogWeightInputs {
  M: number;
  L: number;
  layout: TableLayout;
  xm: ArrayLike<number>;
  logits: ArrayLike<number>;
  logitsCur: ArrayLike<number>;
  lv: ArrayLike<number>;
  h: ArrayLike<number>;
  z: ArrayLike<number>;
  zCur: ArrayLike<number>;
}

const slice = (v: ArrayLike<number>, from: number, n: number) => Array.prototype.slice.call(v, from, from + n) as number[];

export function mwgTableLogWeightRef(family: LatentFamily, a: TableLogWeightInputs): Float64Array {
  const { M, L } = a, D = a.layout.width;
  const terms = new Float64Array(M * 4);
  for (let m = 0; m < M; m++) {
    const h = slice(a.h, m * 2 * L, 2 * L), z = slice(a.z, m * L, L), zCur = slice(a.zCur, m * L, L);
    terms[m * 4] = tableLikRatio(a.layout, slice(a.xm, m * 2 * D, D), slice(a.logits, m * D, D), slice(a.logitsCur, m * D, D), a.lv);
    terms[m * 4 + 1] = logDensityUnit(family, z) - logPosterior(family, z, h, L);
    terms[m * 4 + 2] = logDensityUnit(family, zCur) - logPosterior(family, zCur, h, L);
  }
  return terms;
}

/** The Philox output of row m's draw for column c at this step. */
export function tableDrawBits(seed: [number, number], step: number, m: number, c: number): [number, number, number, number] {
  return philox4x32([m, step, c, TABLE_DRAW_TAG], seed);
}

export interface TableRefillInputs {
  M: number;
  layout: TableLayout;
  chain: ArrayLike<number>;
  logits: ArrayLike<number>;
  logitsCur: ArrayLike<number>;
  miss: ArrayLike<number>;
  xm: ArrayLike<number>;
  acc: ArrayLike<number>;
  lv: ArrayLike<number>;
}

export interface TableRefillResult {
  logitsCur: Float64Array;
  xm: Float64Array;
  acc: Float64Array;
  /** (M, D) the means (real) and probabilities (binary: of 1; categorical: per level) the draws
   *  came from, 0 where observed */
  p: Float64Array;
  /** (M, C) the uniform u0 of each missing cell's draw (NaN where observed) */
  u: Float64Array;
}

export function mwgTableRefillRef(a: TableRefillInputs, seed: [number, number], step: number, weight: number): TableRefillResult {
  const D = a.layout.width, C = a.layout.columns.length;
  const logitsCur = Float64Array.from(a.logitsCur), xm = Float64Array.from(a.xm), acc = Float64Array.from(a.acc);
  const p = new Float64Array(a.M * D), u = new Float64Array(a.M * C).fill(NaN);
  for (let m = 0; m < a.M; m++) {
    const o = m * D, xb = m * 2 * D;
    if (a.chain[m * 4 + 1] !== 0) for (let d = 0; d < D; d++) logitsCur[o + d] = a.logits[o + d];
    for (let d = 0; d < D; d++) xm[xb + D + d] = 1;
    a.layout.columns.forEach((col, c) => {
      const at = col.offset;
      if (a.miss[o + at] === 0) return;
      const r = tableDrawBits(seed, step, m, c);
      const u0 = (u[m * C + c] = uniform01(r[0]));
      if (col.type === 'real') {
        const mu = logitsCur[o + at];
        const n = Math.sqrt(-2 * Math.log(u0)) * Math.cos(2 * Math.PI * (uniform01(r[1]) - 0.5));
        xm[xb + at] = mu + Math.exp(0.5 * a.lv[at]) * n;
        p[o + at] = mu;
        if (weight !== 0) acc[o + at] += weight * mu;
      } else if (col.type === 'binary') {
        const q = (p[o + at] = sigmoid(logitsCur[o + at]));
        xm[xb + at] = u0 < q ? 1 : 0;
        if (weight !== 0) acc[o + at] += weight * q;
      } else {
        const top = logSumExp(logitsCur, o + at, col.width);
        let cum = 0, pick = col.width - 1, found = false;
        for (let k = 0; k < col.width; k++) {
          const q = (p[o + at + k] = Math.exp(logitsCur[o + at + k] - top));
          cum += q;
          if (!found && u0 < cum) {
            pick = k;
            found = true;
          }
          if (weight !== 0) acc[o + at + k] += weight * q;
        }
        for (let k = 0; k < col.width; k++) xm[xb + at + k] = k === pick ? 1 : 0;
      }
    });
  }
  return { logitsCur, xm, acc, p, u };
}
