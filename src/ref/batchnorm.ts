// Float64 reference of 2-D batch normalisation in PyTorch's conventions, x NCHW, statistics per
// channel over (N, H, W):
//   training:   y = gamma (x - mean) / sqrt(var + eps) + beta, var biased (divides by count)
//   evaluation: the same with the running mean and running variance
//   running update (momentum m): running = (1 - m) running + m batch, with the UNBIASED batch
//   variance (count / (count - 1)) for the running variance
// Backward (training mode): with xhat = (x - mean) invstd and g = dL/dy,
//   dbeta = sum g, dgamma = sum g xhat, dx = gamma invstd (g - mean(g) - xhat mean(g xhat)).
type Arr = ArrayLike<number>;

export interface BnShape { N: number; C: number; H: number; W: number }

export interface BnTrainOut { y: Float64Array; mean: Float64Array; variance: Float64Array; invstd: Float64Array }

function perChannel(s: BnShape, f: (c: number, idx: (i: number) => number, count: number) => void): void {
  const HW = s.H * s.W;
  for (let c = 0; c < s.C; c++) f(c, (i) => (Math.floor(i / HW) * s.C + c) * HW + (i % HW), s.N * HW);
}

export function batchNormTrain(x: Arr, gamma: Arr, beta: Arr, s: BnShape, eps: number): BnTrainOut {
  const y = new Float64Array(x.length);
  const mean = new Float64Array(s.C), variance = new Float64Array(s.C), invstd = new Float64Array(s.C);
  perChannel(s, (c, idx, count) => {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += x[idx(i)];
    const m = sum / count;
    let ss = 0;
    for (let i = 0; i < count; i++) ss += (x[idx(i)] - m) ** 2;
    mean[c] = m;
    variance[c] = ss / count;
    invstd[c] = 1 / Math.sqrt(variance[c] + eps);
    for (let i = 0; i < count; i++) y[idx(i)] = gamma[c] * (x[idx(i)] - m) * invstd[c] + beta[c];
  });
  return { y, mean, variance, invstd };
}

export function batchNormEval(x: Arr, gamma: Arr, beta: Arr, runMean: Arr, runVar: Arr, s: BnShape, eps: number): Float64Array {
  const y = new Float64Array(x.length);
  perChannel(s, (c, idx, count) => {
    const inv = 1 / Math.sqrt(runVar[c] + eps);
    for (let i = 0; i < count; i++) y[idx(i)] = gamma[c] * (x[idx(i)] - runMean[c]) * inv + beta[c];
  });
  return y;
}

/** New running statistics after one training batch whose biased variance over `count` values is `variance`. */
export function batchNormRunningUpdate(runMean: Arr, runVar: Arr, mean: Arr, variance: Arr, count: number, momentum: number): { runMean: Float64Array; runVar: Float64Array } {
  const unbiased = count / (count - 1);
  return {
    runMean: Float64Array.from(runMean, (r, c) => (1 - momentum) * r + momentum * mean[c]),
    runVar: Float64Array.from(runVar, (r, c) => (1 - momentum) * r + momentum * variance[c] * unbiased),
  };
}

export function batchNormBackward(dy: Arr, x: Arr, gamma: Arr, mean: Arr, invstd: Arr, s: BnShape): { dx: Float64Array; dgamma: Float64Array; dbeta: Float64Array } {
  const dx = new Float64Array(x.length);
  const dgamma = new Float64Array(s.C), dbeta = new Float64Array(s.C);
  perChannel(s, (c, idx, count) => {
    let sg = 0, sgx = 0;
    for (let i = 0; i < count; i++) {
      sg += dy[idx(i)];
      sgx += dy[idx(i)] * (x[idx(i)] - mean[c]) * invstd[c];
    }
    dbeta[c] = sg;
    dgamma[c] = sgx;
    for (let i = 0; i < count; i++) {
      const xhat = (x[idx(i)] - mean[c]) * invstd[c];
      dx[idx(i)] = gamma[c] * invstd[c] * (dy[idx(i)] - sg / count - xhat * sgx / count);
    }
  });
  return { dx, dgamma, dbeta };
}
