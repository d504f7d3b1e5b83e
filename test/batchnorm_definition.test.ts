// Batch normalisation (shaders/batchnorm.wgsl) against its definition computed here, not by
// src/ref/batchnorm.ts: a tiny input whose per-channel mean and biased variance are known in closed
// form, PyTorch's running update (momentum, UNBIASED variance), the evaluation forward from the
// running statistics, and the backward against central finite differences of the forward written
// out below. This pins the biased variance of training-mode normalisation (a kernel and reference
// changed together to divide by count - 1 fail here).
// Tolerance: 2e-5 on values of order 1 (f32 kernel vs float64 definition); 1e-3 on the
// finite-difference gradients (step 1e-4, float64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

// rows = pixels (M = 4), columns = channels (C = 2)
const M = 4, C = 2, EPS = 0.25, MOMENTUM = 0.1; // a large eps, so dropping it shows
const X = [1, 2, 3, 2, 5, 2, 7, 6];           // channel 0: 1 3 5 7, channel 1: 2 2 2 6
const MEAN = [4, 3];                           // (1+3+5+7)/4, (2+2+2+6)/4
const BIASED_VAR = [5, 3];                     // (9+1+1+9)/4, (1+1+1+9)/4
const UNBIASED_VAR = [20 / 3, 4];              // the same sums / 3
const GAMMA = [1, 2], BETA = [0, 0.5];
const DY = [0.3, -1, 0.7, 0.2, -0.4, 0.5, 0.1, 0.9];

const col = (v: ArrayLike<number>, c: number) => Array.from({ length: M }, (_, r) => v[r * C + c]);

/** y of training-mode batch norm, computed two-pass from the definition. */
function forward(x: number[], gamma: number[], beta: number[]): number[] {
  const y = new Array<number>(M * C);
  for (let c = 0; c < C; c++) {
    const v = col(x, c);
    const mean = v.reduce((a, b) => a + b, 0) / M;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / M;
    for (let r = 0; r < M; r++) y[r * C + c] = (gamma[c] * (v[r] - mean)) / Math.sqrt(variance + EPS) + beta[c];
  }
  return y;
}
const loss = (x: number[], gamma: number[], beta: number[]) => forward(x, gamma, beta).reduce((a, y, i) => a + y * DY[i], 0);

function fd(f: (p: number[]) => number, p: number[], h = 1e-4): number[] {
  return p.map((_, i) => {
    const a = [...p], b = [...p];
    a[i] += h; b[i] -= h;
    return (f(a) - f(b)) / (2 * h);
  });
}

function near(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol, `${what}[${i}]: ${got[i]} vs ${want[i]} (tolerance ${tol})`);
}

interface BnOut { y: Float32Array; yEval: Float32Array; dx: Float32Array; dGamma: Float32Array; dBeta: Float32Array; runMean: Float32Array; runVar: Float32Array }

test('batchnorm equals its definition on a closed-form input: biased variance in training, unbiased in the running update', async () => {
  for (let c = 0; c < C; c++) { // the typed moments are the two-pass ones
    const v = col(X, c), m = v.reduce((a, b) => a + b, 0) / M;
    assert.equal(m, MEAN[c]);
    assert.equal(v.reduce((a, b) => a + (b - m) ** 2, 0) / M, BIASED_VAR[c]);
  }
  const out = await harness().call<BnOut>('batchNorm', {
    M, C, x: Float32Array.from(X), gamma: Float32Array.from(GAMMA), beta: Float32Array.from(BETA),
    runMean: new Float32Array(C), runVar: new Float32Array(C).fill(1), dy: Float32Array.from(DY), eps: EPS, momentum: MOMENTUM,
  });
  // training forward: gamma (x - mean) / sqrt(biased var + eps) + beta
  const yWant = X.map((x, i) => (GAMMA[i % C] * (x - MEAN[i % C])) / Math.sqrt(BIASED_VAR[i % C] + EPS) + BETA[i % C]);
  near(unpad(out.y, M, C), yWant, 2e-5, 'y (training)');
  // from (0, 1): running mean = m * batch mean, running var = (1 - m) + m * unbiased batch var
  const runMean = MEAN.map((m) => MOMENTUM * m), runVar = UNBIASED_VAR.map((v) => 1 - MOMENTUM + MOMENTUM * v);
  near(out.runMean.subarray(0, C), runMean, 2e-6, 'running mean');
  near(out.runVar.subarray(0, C), runVar, 2e-6, 'running variance');
  const yEval = X.map((x, i) => (GAMMA[i % C] * (x - runMean[i % C])) / Math.sqrt(runVar[i % C] + EPS) + BETA[i % C]);
  near(unpad(out.yEval, M, C), yEval, 2e-5, 'y (evaluation, updated running statistics)');
  // backward: finite differences of the training forward above
  near(unpad(out.dx, M, C), fd((x) => loss(x, GAMMA, BETA), X), 1e-3, 'dx');
  near(out.dGamma.subarray(0, C), fd((g) => loss(X, g, BETA), GAMMA), 1e-3, 'dgamma');
  near(out.dBeta.subarray(0, C), fd((b) => loss(X, GAMMA, b), BETA), 1e-3, 'dbeta');
});
