// src/eval/bounds.ts on a linear-Gaussian VAE, where everything is known in closed form (issue
// row 8: "NELBO >= IW" holds by Jensen for any arithmetic, so it could only catch NaN):
//   decoder x = W z + b + noise, z ~ N(0, I2), noise ~ N(0, s2 I3):  p(x) = N(x; b, W W^T + s2 I)
//   posterior p(z | x) = N(P W^T (x - b) / s2, P),  P = (I + W^T W / s2)^-1
//   E_q[NELBO] = -log p(x) + KL(q || p(z | x))   for the encoder's fixed q = N(m, diag(v))
// Checks: the IW estimate with K = 1 is the ELBO estimate of the same draw (exactly); the
// batch-mean NELBO and the K = 1 IW estimate equal -log p(x) + KL(q || posterior); with K = 500 the
// IW estimate reaches -log p(x) (so it falls with K by the KL gap), within 4 of its delta-method
// standard errors + 0.005. All formulas are typed here; nothing comes from src/ref.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { createRng } from '../src/rng.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

const D = 3, L = 2, S2 = 0.5, N = 48;
const W = [[0.8, -0.3], [0.2, 0.6], [-0.5, 0.4]], B = [0.1, -0.2, 0.3];
const Q_MEAN = [0.2, -0.1], Q_LOGVAR = [-0.6, -0.3];

/** Inverse and log-determinant of a symmetric positive-definite matrix (Gauss-Jordan, tiny sizes). */
function invLogDet(a: number[][]): { inv: number[][]; logDet: number } {
  const n = a.length, m = a.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => Number(i === j))]);
  let logDet = 0;
  for (let c = 0; c < n; c++) {
    const p = m[c][c];
    logDet += Math.log(p);
    for (let j = 0; j < 2 * n; j++) m[c][j] /= p;
    for (let r = 0; r < n; r++) if (r !== c) { const f = m[r][c]; for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j]; }
  }
  return { inv: m.map((r) => r.slice(n)), logDet };
}

const cov = W.map((wi, i) => W.map((wj, j) => wi[0] * wj[0] + wi[1] * wj[1] + (i === j ? S2 : 0))); // W W^T + s2 I
const { inv: covInv, logDet: covLogDet } = invLogDet(cov);
const precision = [0, 1].map((i) => [0, 1].map((j) => (i === j ? 1 : 0) + W.reduce((a, w) => a + (w[i] * w[j]) / S2, 0)));
const { inv: P, logDet: precLogDet } = invLogDet(precision);

function exactNll(x: number[]): number {
  const r = x.map((v, i) => v - B[i]);
  const quad = r.reduce((a, ri, i) => a + ri * r.reduce((s, rj, j) => s + covInv[i][j] * rj, 0), 0);
  return 0.5 * (D * Math.log(2 * Math.PI) + covLogDet + quad);
}

/** KL(N(m, diag v) || N(mu, P)) with mu the posterior mean of x. */
function klToPosterior(x: number[]): number {
  const wtr = [0, 1].map((k) => W.reduce((a, w, i) => a + (w[k] * (x[i] - B[i])) / S2, 0));
  const mu = [0, 1].map((i) => P[i][0] * wtr[0] + P[i][1] * wtr[1]);
  const v = Q_LOGVAR.map(Math.exp), d = Q_MEAN.map((m, i) => m - mu[i]);
  // 1/2 [tr(P^-1 V) + d^T P^-1 d - L + log det P - log det V], P^-1 = precision
  const tr = precision[0][0] * v[0] + precision[1][1] * v[1];
  const quad = d.reduce((a, di, i) => a + di * (precision[i][0] * d[0] + precision[i][1] * d[1]), 0);
  return 0.5 * (tr + quad - L - precLogDet - (Q_LOGVAR[0] + Q_LOGVAR[1]));
}

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

test('bounds on a linear-Gaussian VAE: K = 1 IW is the ELBO; NELBO = -log p(x) + KL(q || posterior); IW(K=500) = -log p(x)', async () => {
  const config: VaeConfig = { shape: { encoder: [D], latent: L, decoder: [D] }, prior: { kind: 'gaussian' }, likelihood: { kind: 'gaussian', variance: S2 }, batch: N, optimizer: { kind: 'adam', lr: 1e-3 }, seed: 5 };
  // encoder: one layer to [mu | logvar] with zero weights, so q is the same N(Q_MEAN, diag exp Q_LOGVAR) for every x
  const params = [
    { out: 2 * L, in: D, w: new Float64Array(2 * L * D), b: Float64Array.from([...Q_MEAN, ...Q_LOGVAR]) },
    { out: D, in: L, w: Float64Array.from(W.flat()), b: Float64Array.from(B) },
  ];
  const r = createRng(17);
  const x = Float32Array.from({ length: N * D }, () => 0.6 * r.normal());
  const point = (m: number) => Array.from(x.subarray(m * D, (m + 1) * D));
  const exact = Array.from({ length: N }, (_, m) => exactNll(point(m)));
  const kl = Array.from({ length: N }, (_, m) => klToPosterior(point(m)));
  type Out = { nelbo: Float64Array; iw: Float64Array; iwSe: Float64Array };
  const one = await harness().call<Out>('bounds', { config, params, x, n: N, K: 1, batch: N });
  for (let m = 0; m < N; m++) assert.ok(Math.abs(one.iw[m] - one.nelbo[m]) <= 1e-9 * (1 + Math.abs(one.nelbo[m])), `point ${m}: K = 1 IW ${one.iw[m]} vs ELBO ${one.nelbo[m]}`);
  const many = await harness().call<Out>('bounds', { config, params, x, n: N, K: 500, batch: N });
  const gap = mean(kl), truth = mean(exact);
  console.log(`linear-Gaussian: mean -log p(x) ${truth.toFixed(4)}, mean KL(q||posterior) ${gap.toFixed(4)}; NELBO(K=500) ${mean(many.nelbo).toFixed(4)}, IW(K=1) ${mean(one.iw).toFixed(4)}, IW(K=500) ${mean(many.iw).toFixed(4)}`);
  assert.ok(gap > 0.3, `the test needs q away from the posterior (mean KL ${gap})`);
  // batch means over 48 points x 500 draws: the NELBO Monte-Carlo error is ~0.01
  assert.ok(Math.abs(mean(many.nelbo) - (truth + gap)) < 0.05, `mean NELBO ${mean(many.nelbo)} vs -log p(x) + KL ${truth + gap}`);
  // one draw per point: error ~ sd(loss) / sqrt(48)
  assert.ok(Math.abs(mean(one.iw) - (truth + gap)) < 0.5, `mean IW(K=1) ${mean(one.iw)} vs -log p(x) + KL ${truth + gap}`);
  for (let m = 0; m < N; m++) {
    assert.ok(Math.abs(many.iw[m] - exact[m]) <= 4 * many.iwSe[m] + 0.005, `point ${m}: IW ${many.iw[m]} ± ${many.iwSe[m]} vs -log p(x) ${exact[m]}`);
    assert.ok(many.iwSe[m] > 0 && many.iwSe[m] < 0.1, `point ${m}: IW standard error ${many.iwSe[m]}`);
  }
});
