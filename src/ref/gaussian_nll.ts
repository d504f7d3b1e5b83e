// Float64 CPU reference of shaders/gaussian_nll.wgsl: the Gaussian decoder's negative log-likelihood
// per row and its gradients. mean, x (B, D) row-major; logvar (D) per output dimension (a fixed
// value repeated, or the learned vector). Loss = mean over rows, so gradients carry 1/B.
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export function gaussianNll(
  mean: ArrayLike<number>, x: ArrayLike<number>, logvar: ArrayLike<number>, B: number, D: number,
): { rowLoss: Float64Array; grad: Float64Array; gradLogvar: Float64Array } {
  const rowLoss = new Float64Array(B), grad = new Float64Array(B * D), gradLogvar = new Float64Array(D);
  for (let i = 0; i < B; i++) {
    let s = 0;
    for (let d = 0; d < D; d++) {
      const k = i * D + d, r = x[k] - mean[k], inv = Math.exp(-logvar[d]);
      s += 0.5 * r * r * inv + 0.5 * logvar[d] + HALF_LOG_2PI;
      grad[k] = (-r * inv) / B;
      gradLogvar[d] += (0.5 - 0.5 * r * r * inv) / B;
    }
    rowLoss[i] = s;
  }
  return { rowLoss, grad, gradLogvar };
}
