// Principal components of the test-set posterior means, for the 2-D scatter of a latent space
// wider than 2: the covariance matrix's eigenvectors by cyclic Jacobi rotations (exact to
// rounding for the symmetric L x L matrices here, L <= a few dozen), written here in a few lines.
import { fail } from '../errors.ts';

/** Eigen-decomposition of a symmetric (n, n) row-major matrix: values descending, vectors as rows. */
export function symmetricEigen(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  if (a.length !== n * n) fail(`symmetricEigen: expected ${n}x${n} values, got ${a.length}`);
  const m = Float64Array.from(a), v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p], mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k], mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j * n + j] - m[i * n + i]);
  const values = Float64Array.from(order, (i) => m[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((col, r) => { for (let k = 0; k < n; k++) vectors[r * n + k] = v[k * n + col]; });
  return { values, vectors };
}

/** Projection of points (N, L) onto their first two principal components, and the share of
 *  variance those two hold. */
export function pca2(points: ArrayLike<number>, N: number, L: number): { projected: Float32Array; explained: number } {
  if (L < 2) fail(`PCA to 2-D needs at least 2 dimensions, got ${L}`);
  const mean = new Float64Array(L);
  for (let i = 0; i < N; i++) for (let j = 0; j < L; j++) mean[j] += points[i * L + j] / N;
  const cov = new Float64Array(L * L);
  for (let i = 0; i < N; i++) {
    for (let a = 0; a < L; a++) {
      const da = points[i * L + a] - mean[a];
      for (let b = 0; b < L; b++) cov[a * L + b] += (da * (points[i * L + b] - mean[b])) / (N - 1);
    }
  }
  const { values, vectors } = symmetricEigen(cov, L);
  const projected = new Float32Array(2 * N);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < 2; c++) {
      let s = 0;
      for (let j = 0; j < L; j++) s += (points[i * L + j] - mean[j]) * vectors[c * L + j];
      projected[2 * i + c] = s;
    }
  }
  const total = values.reduce((a, b) => a + b, 0);
  return { projected, explained: (values[0] + values[1]) / total };
}
