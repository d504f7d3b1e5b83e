// Batch normalisation (shaders/batchnorm.wgsl via src/kernels/batchnorm.ts) against the float64
// reference (src/ref/batchnorm.ts): training forward (batch statistics, biased variance), the
// running-statistics update (momentum, unbiased variance), evaluation forward (running statistics),
// and the backward to x, gamma and beta (with an evaluation forward run between the training
// forward and its backward), with and without the fused LeakyReLU, over NHWC images of
// odd and of the CNN VAE's sizes, and with the reduction split differently.
// Tolerance: |gpu - ref| <= 1e-4 + 1e-4 |ref| (f32 sums over up to 588 rows per chunk, merged).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchNormBackward, batchNormEval, batchNormRunningUpdate, batchNormTrain } from '../src/ref/batchnorm.ts';
import { leakyRelu, leakyReluBackward } from '../src/ref/leaky_relu.ts';
import { nchwToRows, rowsToNchw } from '../src/kernels/conv_layout.ts';
import { assertClose, assertPaddingZero, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const TOL = { atol: 1e-4, rtol: 1e-4 };

interface BnOut { y: Float32Array; yEvalBefore: Float32Array; yEval: Float32Array; dx: Float32Array; dGamma: Float32Array; dBeta: Float32Array; runMean: Float32Array; runVar: Float32Array; splits: number }

interface Case { N: number; C: number; H: number; W: number; eps: number; momentum: number; leaky?: number; splits?: number; offset?: number; spread?: number }

const CASES: [string, Case][] = [
  ['odd 3x5x13x13', { N: 3, C: 5, H: 13, W: 13, eps: 1e-5, momentum: 0.1 }],
  ['odd, fused LeakyReLU 0.2, one chunk', { N: 3, C: 5, H: 13, W: 13, eps: 1e-3, momentum: 0.3, leaky: 0.2, splits: 1 }],
  ['odd, 7 chunks', { N: 3, C: 7, H: 5, W: 3, eps: 1e-5, momentum: 0.1, splits: 7 }],
  ['two values per channel', { N: 2, C: 3, H: 1, W: 1, eps: 1e-5, momentum: 0.5 }],
  ['mean 50, sd 0.05: variance survives f32 cancellation', { N: 3, C: 5, H: 13, W: 13, eps: 1e-5, momentum: 0.1, offset: 50, spread: 0.05 }],
  ['VAE after enc1: 32 x 14x14, LeakyReLU 0.2', { N: 3, C: 32, H: 14, W: 14, eps: 1e-5, momentum: 0.1, leaky: 0.2 }],
  ['VAE after enc2: 64 x 7x7', { N: 3, C: 64, H: 7, W: 7, eps: 1e-5, momentum: 0.1, leaky: 0.01 }],
  ['VAE after enc3: 128 x 4x4', { N: 3, C: 128, H: 4, W: 4, eps: 1e-5, momentum: 0.1 }],
];

CASES.forEach(([name, c], i) => {
  test(`batchnorm ${name}: training and evaluation forward, running statistics, backward`, async () => {
    const { N, C, H, W } = c;
    const M = N * H * W, seed = 1000 * i + 3;
    const spread = c.spread ?? 1;
    // per-channel means and scales differ so a channel mix-up shows
    const x = uniformArray(N * C * H * W, seed).map((v, j) => (c.offset ?? 0) + spread * (v * (1 + (Math.floor(j / (H * W)) % C)) + 0.3 * (Math.floor(j / (H * W)) % C)));
    const gamma = uniformArray(C, seed + 1, 0.5, 1.5), beta = uniformArray(C, seed + 2);
    const runMean = uniformArray(C, seed + 3), runVar = uniformArray(C, seed + 4, 0.5, 2);
    const dy = uniformArray(N * C * H * W, seed + 5);
    const out = await harness().call<BnOut>('batchNorm', {
      M, C, x: nchwToRows(x, N, C, H, W), gamma, beta, runMean, runVar, dy: nchwToRows(dy, N, C, H, W),
      eps: c.eps, momentum: c.momentum, leaky: c.leaky, splits: c.splits,
    });
    const s = { N, C, H, W };
    const f = batchNormTrain(x, gamma, beta, s, c.eps);
    const act = (z: Float64Array) => (c.leaky === undefined ? z : leakyRelu(z, c.leaky));
    const g = c.leaky === undefined ? dy : leakyReluBackward(dy, f.y, c.leaky);
    const back = batchNormBackward(g, x, gamma, f.mean, f.invstd, s);
    const run = batchNormRunningUpdate(runMean, runVar, f.mean, f.variance, M, c.momentum);
    const yEval = act(batchNormEval(x, gamma, beta, run.runMean, run.runVar, s, c.eps));
    const yEvalBefore = act(batchNormEval(x, gamma, beta, runMean, runVar, s, c.eps));
    for (const [k, v] of [['y', out.y], ['yEval', out.yEval], ['yEvalBefore', out.yEvalBefore], ['dx', out.dx]] as const) assertPaddingZero(v, M, C, k);
    for (const [k, v] of [['dGamma', out.dGamma], ['dBeta', out.dBeta], ['runMean', out.runMean], ['runVar', out.runVar]] as const) assertPaddingZero(v, 1, C, k);
    const img = (v: Float32Array) => rowsToNchw(unpad(v, M, C), N, C, H, W);
    assertClose(img(out.y), act(f.y), TOL, 'y (training)');
    assertClose(out.runMean.subarray(0, C), run.runMean, TOL, 'running mean');
    assertClose(out.runVar.subarray(0, C), run.runVar, TOL, 'running variance (unbiased batch variance)');
    assertClose(img(out.yEvalBefore), yEvalBefore, TOL, 'y (evaluation, given running statistics)');
    assertClose(img(out.yEval), yEval, TOL, 'y (evaluation, updated running statistics)');
    assertClose(out.dGamma.subarray(0, C), back.dgamma, TOL, 'dgamma');
    assertClose(out.dBeta.subarray(0, C), back.dbeta, TOL, 'dbeta');
    // dx scales with gamma*invstd: compare relative to that scale (invstd = 20 for sd 0.05)
    assertClose(img(out.dx), back.dx, { atol: TOL.atol / spread, rtol: TOL.rtol }, 'dx');
    if (c.splits !== undefined) assert.equal(out.splits, c.splits, 'reduction chunks');
  });
});

test('batchnorm: training and evaluation modes give different outputs; running statistics follow PyTorch', async () => {
  const N = 3, C = 5, H = 4, W = 4, M = N * H * W;
  const x = uniformArray(M * C, 77, 1, 3); // mean 2, variance 1/3 in every channel
  const out = await harness().call<BnOut>('batchNorm', {
    M, C, x, gamma: new Float32Array(C).fill(1), beta: new Float32Array(C), runMean: new Float32Array(C), runVar: new Float32Array(C).fill(1),
    dy: new Float32Array(M * C), eps: 1e-5, momentum: 0.1,
  });
  const y = unpad(out.y, M, C), yEval = unpad(out.yEval, M, C);
  let maxDiff = 0, mean = 0;
  for (let i = 0; i < y.length; i++) { maxDiff = Math.max(maxDiff, Math.abs(y[i] - yEval[i])); mean += y[i] / y.length; }
  assert.ok(maxDiff > 1, `training and evaluation outputs differ by at most ${maxDiff}`);
  assert.ok(Math.abs(mean) < 1e-5, `training output is centred (mean ${mean})`);
  // from (0, 1): running mean = 0.1 * batch mean, running var = 0.9 + 0.1 * unbiased batch var
  const rows = Array.from({ length: M }, (_, r) => x[r * C]);
  const bm = rows.reduce((a, b) => a + b, 0) / M;
  const bv = rows.reduce((a, b) => a + (b - bm) ** 2, 0) / (M - 1);
  assert.ok(Math.abs(out.runMean[0] - 0.1 * bm) < 1e-5, `running mean ${out.runMean[0]} vs ${0.1 * bm}`);
  assert.ok(Math.abs(out.runVar[0] - (0.9 + 0.1 * bv)) < 1e-5, `running var ${out.runVar[0]} vs ${0.9 + 0.1 * bv}`);
});
