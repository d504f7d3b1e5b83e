// -log p(x) of a conditional VAE with a uniform label prior, from its per-label bounds. The bound
// of a conditional model scored with the true label estimates -log p(x|y), which can sit up to
// log C nats below -log p(x); summing over the labels gives the quantity the unconditional rows hold.

/** perLabel[c][m]: the importance-weighted estimate -log p^(x_m | y = c), p^ = (1/K) sum_k w_k.
 *  Returns -log (1/C sum_c p^(x_m | c)) per point, by log-sum-exp in float64. Each p^ is an
 *  unbiased estimate of p(x|c), so their mean is one of p(x): the result is, like every IW
 *  estimate, an upper bound on -log p(x) in expectation, tightening as K grows. */
export function labelMarginalNll(perLabel: ArrayLike<number>[]): Float64Array {
  const C = perLabel.length;
  if (C === 0) throw new RangeError('labelMarginalNll: no labels');
  const n = perLabel[0].length;
  const out = new Float64Array(n);
  for (let m = 0; m < n; m++) {
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, -perLabel[c][m]);
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp(-perLabel[c][m] - max);
    out[m] = -(max + Math.log(s / C));
  }
  return out;
}
