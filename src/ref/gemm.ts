// Float64 CPU reference of the dense-layer GEMM forms and elementwise helpers.
// All matrices are dense row-major, logical shapes, no padding. A dense layer's weight w is
// (N=out, K=in) (PyTorch layout). Forward: y (M,N) = x (M,K) · wᵀ + b.
// Backward: dx (M,K) = dy (M,N) · w ; dw (N,K) = dyᵀ · x ; db (N) = column sums of dy.

type Arr = ArrayLike<number>;

/** y (M,N) = x (M,K) · wᵀ, w is (N,K). */
export function matmulXWt(x: Arr, w: Arr, M: number, N: number, K: number): Float64Array {
  const y = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    const xo = i * K;
    for (let j = 0; j < N; j++) {
      const wo = j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += x[xo + k] * w[wo + k];
      y[i * N + j] = s;
    }
  }
  return y;
}

/** dx (M,K) = dy (M,N) · w, w is (N,K). */
export function matmulDyW(dy: Arr, w: Arr, M: number, N: number, K: number): Float64Array {
  const dx = new Float64Array(M * K);
  for (let i = 0; i < M; i++) {
    const xo = i * K;
    for (let j = 0; j < N; j++) {
      const g = dy[i * N + j];
      if (g === 0) continue;
      const wo = j * K;
      for (let k = 0; k < K; k++) dx[xo + k] += g * w[wo + k];
    }
  }
  return dx;
}

/** dw (N,K) = dyᵀ (N,M) · x (M,K). */
export function matmulDytX(dy: Arr, x: Arr, M: number, N: number, K: number): Float64Array {
  const dw = new Float64Array(N * K);
  for (let i = 0; i < M; i++) {
    const xo = i * K;
    for (let j = 0; j < N; j++) {
      const g = dy[i * N + j];
      if (g === 0) continue;
      const wo = j * K;
      for (let k = 0; k < K; k++) dw[wo + k] += g * x[xo + k];
    }
  }
  return dw;
}

/** db (N) = sum over the M rows of dy (M,N). */
export function columnSums(dy: Arr, M: number, N: number): Float64Array {
  const s = new Float64Array(N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) s[j] += dy[i * N + j];
  return s;
}

/** New (M,N) array y + b (broadcast over rows), then max(·,0) when relu. */
/** y + b, then ReLU (or LeakyReLU with `slope` > 0) when `relu`. */
export function addBiasRelu(y: Arr, b: Arr, M: number, N: number, relu: boolean, slope = 0): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      const v = y[i * N + j] + b[j];
      out[i * N + j] = relu && !(v > 0) ? (slope ? slope * v : 0) : v;
    }
  }
  return out;
}

/** Elementwise dx * (a > 0): backward through ReLU given its output (or input) a. */
export function reluMask(dx: Arr, a: Arr, slope = 0): Float64Array {
  if (dx.length !== a.length) throw new Error(`reluMask: length mismatch ${dx.length} vs ${a.length}`);
  const out = new Float64Array(dx.length);
  for (let i = 0; i < dx.length; i++) out[i] = a[i] > 0 ? dx[i] : slope ? slope * dx[i] : 0;
  return out;
}
