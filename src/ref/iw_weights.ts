// Float64 CPU reference of shaders/iw_weights.wgsl: the importance-weighted bound (MIWAE, Mattei &
// Frellsen 2019) of groups of K replicas. Rows m = b K + k are K draws of data row b with log weight
// log w_m = -(re[m] + kl[m]) (re = -log p(x_obs | z), kl = the one-sample log q(z | x) - log p(z)).
//   bound[b] = -log (1/K sum_k w_{bK+k})      weights[m] = w_m / sum_k w_{bK+k}
//   boundRe[b] = mean_k re;  boundKl[b] = bound[b] - boundRe[b]
// Its gradient, with the weights held fixed: d bound[b] = sum_k weights[bK+k] d(re + kl)[bK+k].
import { TvaeError } from '../errors.ts';

export interface IwBound {
  /** (G K) the self-normalised weights of each group */
  weights: Float64Array;
  /** (G) -log of the mean importance weight of each group */
  bound: Float64Array;
  boundRe: Float64Array;
  boundKl: Float64Array;
}

export function iwWeights(re: ArrayLike<number>, kl: ArrayLike<number>, K: number): IwBound {
  if (!Number.isInteger(K) || K < 1) throw new TvaeError(`importance samples K must be a positive integer, got ${K}`);
  const M = re.length;
  if (kl.length !== M) throw new TvaeError(`iwWeights: ${re.length} re rows but ${kl.length} KL rows`);
  if (M % K !== 0) throw new TvaeError(`iwWeights: ${M} rows are not groups of K = ${K}`);
  const G = M / K;
  const weights = new Float64Array(M), bound = new Float64Array(G), boundRe = new Float64Array(G), boundKl = new Float64Array(G);
  for (let b = 0; b < G; b++) {
    let top = -Infinity, reSum = 0;
    for (let k = 0; k < K; k++) {
      top = Math.max(top, -(re[b * K + k] + kl[b * K + k]));
      reSum += re[b * K + k];
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(-(re[b * K + k] + kl[b * K + k]) - top);
    for (let k = 0; k < K; k++) weights[b * K + k] = Math.exp(-(re[b * K + k] + kl[b * K + k]) - top) / sum;
    bound[b] = -(top + Math.log(sum) - Math.log(K));
    boundRe[b] = reSum / K;
    boundKl[b] = bound[b] - boundRe[b];
  }
  return { weights, bound, boundRe, boundKl };
}

/** dOut (G K, D) with each row scaled by its weight, as the kernel leaves it. */
export function scaleRows(dOut: ArrayLike<number>, weights: ArrayLike<number>, D: number): Float64Array {
  return Float64Array.from(dOut, (v, i) => v * weights[Math.floor(i / D)]);
}
