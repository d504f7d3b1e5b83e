// Float64 CPU reference of the Bernoulli reconstruction loss from logits.
// logits l and targets x in [0,1] are (B,D) row-major. rowLoss (B): RE_i = sum_d
// max(l,0) - x*l + log1p(exp(-|l|)). grad (B,D): d(mean_i RE_i)/dl = (sigmoid(l) - x) / B.

/** Numerically stable logistic function. */
export function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

export function bceFromLogits(
  logits: ArrayLike<number>,
  x: ArrayLike<number>,
  B: number,
  D: number,
): { rowLoss: Float64Array; grad: Float64Array } {
  const rowLoss = new Float64Array(B);
  const grad = new Float64Array(B * D);
  const invB = 1 / B;
  for (let i = 0; i < B; i++) {
    let s = 0;
    for (let d = 0; d < D; d++) {
      const k = i * D + d;
      const l = logits[k], t = x[k];
      s += Math.max(l, 0) - t * l + Math.log1p(Math.exp(-Math.abs(l)));
      grad[k] = (sigmoid(l) - t) * invB;
    }
    rowLoss[i] = s;
  }
  return { rowLoss, grad };
}
