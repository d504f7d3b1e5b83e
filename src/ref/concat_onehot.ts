// Float64 CPU reference of shaders/concat_onehot.wgsl: [a | onehot(label)] and its backward slice.
// a (M, K) dense row-major, labels (M) in [0, C); out (M, K + C).
import { TvaeError } from '../errors.ts';

export function concatOnehot(a: ArrayLike<number>, labels: ArrayLike<number>, M: number, K: number, C: number): Float64Array {
  const out = new Float64Array(M * (K + C));
  for (let m = 0; m < M; m++) {
    const y = labels[m];
    if (!(Number.isInteger(y) && y >= 0 && y < C)) throw new TvaeError(`label ${y} of row ${m} is not a class 0..${C - 1}`);
    for (let j = 0; j < K; j++) out[m * (K + C) + j] = a[m * K + j];
    out[m * (K + C) + K + y] = 1;
  }
  return out;
}

/** The gradient wrt a from the gradient wrt [a | onehot]: its first K columns. */
export function concatOnehotBackward(d: ArrayLike<number>, M: number, K: number, C: number): Float64Array {
  const out = new Float64Array(M * K);
  for (let m = 0; m < M; m++) for (let j = 0; j < K; j++) out[m * K + j] = d[m * (K + C) + j];
  return out;
}
