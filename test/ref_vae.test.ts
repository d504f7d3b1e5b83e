// Tests of the float64 CPU reference (src/ref/*): GEMM forms vs naive loops, whole-VAE gradients
// vs central finite differences (Gaussian and Student-t priors), KL sanity, Adam, validation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addBiasRelu, columnSums, matmulDytX, matmulDyW, matmulXWt, reluMask } from '../src/ref/gemm.ts';
import { bceFromLogits, sigmoid } from '../src/ref/bce.ts';
import { reparamForward } from '../src/ref/reparam_kl.ts';
import { adamStep, sgdStep } from '../src/ref/optim.ts';
import { forwardBackward, initParams, layerShapes, lossOnly, validateShape } from '../src/ref/vae.ts';
import type { Dense, Prior, VaeShape } from '../src/ref/vae.ts';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normalSource(seed: number): () => number {
  const u = mulberry32(seed);
  return () => {
    const u1 = 1 - u(); // (0,1]
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u());
  };
}

const fill = (n: number, f: () => number): Float64Array => Float64Array.from({ length: n }, f);

function naiveMatmul(a: ArrayLike<number>, b: ArrayLike<number>, M: number, K: number, N: number): Float64Array {
  // a (M,K) · b (K,N)
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
    c[i * N + j] = s;
  }
  return c;
}

function transpose(a: ArrayLike<number>, R: number, C: number): Float64Array {
  const t = new Float64Array(R * C);
  for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) t[j * R + i] = a[i * C + j];
  return t;
}

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12, what = ''): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

test('gemm forms match naive triple loops and each other (M=5,N=3,K=7)', () => {
  const M = 5, N = 3, K = 7, r = normalSource(1);
  const x = fill(M * K, r), w = fill(N * K, r), dy = fill(M * N, r), b = fill(N, r);
  const y = matmulXWt(x, w, M, N, K);
  assertClose(y, naiveMatmul(x, transpose(w, N, K), M, K, N), 1e-13, 'XWt');
  const dx = matmulDyW(dy, w, M, N, K);
  assertClose(dx, naiveMatmul(dy, w, M, N, K), 1e-13, 'DyW');
  assertClose(dx, matmulXWt(dy, transpose(w, N, K), M, K, N), 1e-13, 'DyW identity');
  const dw = matmulDytX(dy, x, M, N, K);
  assertClose(dw, naiveMatmul(transpose(dy, M, N), x, N, M, K), 1e-13, 'DytX');
  assertClose(dw, matmulXWt(transpose(dy, M, N), transpose(x, M, K), N, K, M), 1e-13, 'DytX identity');
  const cs = columnSums(dy, M, N);
  assertClose(cs, naiveMatmul(fill(M, () => 1), dy, 1, M, N), 1e-13, 'columnSums');
  // Float32Array inputs are accepted and give float64 outputs
  const y32 = matmulXWt(Float32Array.from(x), Float32Array.from(w), M, N, K);
  assert.ok(y32 instanceof Float64Array);
  assertClose(y32, y, 1e-5, 'XWt f32');
  const lin = addBiasRelu(y, b, M, N, false), rel = addBiasRelu(y, b, M, N, true);
  for (let i = 0; i < M * N; i++) {
    assert.equal(lin[i], y[i] + b[i % N]);
    assert.equal(rel[i], Math.max(0, y[i] + b[i % N]));
  }
  assert.deepEqual(Array.from(reluMask([1, 2, 3, 4], [0.5, 0, -1, 2])), [1, 0, 0, 4]);
});

test('bce from logits: stable values and gradient (sigmoid - x)/B', () => {
  const l = [0.3, -2, 40, -40, 0, 1e3], x = [1, 0, 0.25, 1, 0.5, 1];
  const { rowLoss, grad } = bceFromLogits(l, x, 2, 3);
  const naive = (li: number, xi: number) => -(xi * Math.log(sigmoid(li)) + (1 - xi) * Math.log(1 - sigmoid(li)));
  // for l = 40, x = 0.25: 40 - 10 + log1p(e^-40) = 30 to double precision (naive form gives log(0))
  assert.ok(Math.abs(rowLoss[0] - (naive(0.3, 1) + naive(-2, 0) + 30)) < 1e-12);
  assert.ok(Math.abs(rowLoss[1] - (40 + naive(0, 0.5) + 0)) < 1e-12);
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(grad[i] - (sigmoid(l[i]) - x[i]) / 2) < 1e-15);
  assert.equal(sigmoid(-1000), 0);
  assert.equal(sigmoid(1000), 1);
});

/** Relu pre-activations of the forward pass, recomputed with the gemm helpers. */
function minAbsReluPreact(params: Dense[], shape: VaeShape, x: Float64Array, eps: Float64Array, B: number): number {
  const layers = layerShapes(shape), L = shape.latent, nEnc = shape.encoder.length;
  let a: Float64Array = x, m = Infinity;
  for (let k = 0; k < layers.length; k++) {
    const ls = layers[k];
    const pre = addBiasRelu(matmulXWt(a, params[k].w, B, ls.out, ls.in), params[k].b, B, ls.out, false);
    if (ls.relu) for (const v of pre) m = Math.min(m, Math.abs(v));
    a = ls.relu ? addBiasRelu(pre, new Float64Array(ls.out), B, ls.out, true) : pre;
    if (k === nEnc - 1) a = reparamForward(a, eps, B, L, { kind: 'gaussian' }).z;
  }
  return m;
}

function setup(shape: VaeShape, B: number, seed: number, std: number) {
  const r = normalSource(seed), u = mulberry32(seed + 1000);
  const params = initParams(shape, r, std);
  for (const p of params) for (let i = 0; i < p.b.length; i++) p.b[i] = 0.1 * r();
  const x = fill(B * shape.encoder[0], u);
  const eps = fill(B * shape.latent, r);
  return { params, x, eps };
}

function fdCheck(
  params: Dense[], shape: VaeShape, x: Float64Array, eps: Float64Array, B: number, prior: Prior,
  picks: Array<[number, 'w' | 'b', number]>,
): void {
  const { grads, loss } = forwardBackward(params, shape, x, eps, B, prior);
  assert.ok(Math.abs(loss - lossOnly(params, shape, x, eps, B, prior)) <= 1e-12 * Math.abs(loss));
  const h = 1e-6;
  let worst = 0;
  for (const [k, which, i] of picks) {
    const arr = params[k][which], old = arr[i];
    arr[i] = old + h;
    const lp = lossOnly(params, shape, x, eps, B, prior);
    arr[i] = old - h;
    const lm = lossOnly(params, shape, x, eps, B, prior);
    arr[i] = old;
    const fd = (lp - lm) / (2 * h), an = grads[k][which][i];
    const err = Math.abs(fd - an);
    worst = Math.max(worst, err / (1e-6 + 1e-5 * Math.abs(an)));
    assert.ok(err <= 1e-6 + 1e-5 * Math.abs(an), `${JSON.stringify(prior)} layer ${k} ${which}[${i}]: fd ${fd} vs analytic ${an}`);
  }
  assert.ok(worst <= 1);
}

const priors: Prior[] = [{ kind: 'gaussian' }, { kind: 'gaussian', kl: 'mc' }, { kind: 't', nu: 21 }, { kind: 't', nu: 2.5 }, { kind: 't', nu: 5, multivariate: true }, { kind: 't', nu: 0.7, multivariate: true }];

test('small VAE: every weight and bias gradient matches central finite differences', () => {
  const shape: VaeShape = { encoder: [13, 9, 6], latent: 3, decoder: [6, 9, 13] };
  const B = 4, { params, x, eps } = setup(shape, B, 7, 0.5);
  assert.ok(minAbsReluPreact(params, shape, x, eps, B) > 1e-4, 'relu pre-activations too close to a kink');
  const picks: Array<[number, 'w' | 'b', number]> = [];
  params.forEach((p, k) => {
    for (let i = 0; i < p.w.length; i++) picks.push([k, 'w', i]);
    for (let i = 0; i < p.b.length; i++) picks.push([k, 'b', i]);
  });
  assert.equal(picks.length, 445);
  for (const prior of priors) fdCheck(params, shape, x, eps, B, prior, picks);
});

test('reference VAE 784-400-128/10: 200 random parameters match finite differences', () => {
  const shape: VaeShape = { encoder: [784, 400, 128], latent: 10, decoder: [128, 400, 784] };
  const ls = layerShapes(shape);
  assert.deepEqual(ls.map((l) => [l.in, l.out, l.relu]), [
    [784, 400, true], [400, 128, true], [128, 20, false], [10, 128, true], [128, 400, true], [400, 784, false],
  ]);
  const B = 2, { params, x, eps } = setup(shape, B, 9, 0.05);
  assert.ok(minAbsReluPreact(params, shape, x, eps, B) > 1e-4, 'relu pre-activations too close to a kink');
  const u = mulberry32(99);
  const picks: Array<[number, 'w' | 'b', number]> = [];
  for (let n = 0; n < 200; n++) {
    const k = n % params.length; // every layer gets parameters
    const which = u() < 0.8 ? 'w' : 'b';
    picks.push([k, which, Math.floor(u() * params[k][which].length)]);
  }
  for (const prior of priors) fdCheck(params, shape, x, eps, B, prior, picks);
});

test('KL sanity: zero at the prior mean, t with huge nu tends to Gaussian MC', () => {
  const B = 3, L = 4, r = normalSource(5);
  const eps = fill(B * L, r);
  const h0 = new Float64Array(B * 2 * L);
  const g = reparamForward(h0, eps, B, L, { kind: 'gaussian' });
  for (const k of g.klRows) assert.equal(k, 0);
  assert.deepEqual(Array.from(g.z), Array.from(eps));
  const t = reparamForward(h0, eps, B, L, { kind: 't', nu: 2.5 });
  for (const k of t.klRows) assert.equal(k, 0);
  const h = fill(B * 2 * L, () => 0.5 * r());
  const big = reparamForward(h, eps, B, L, { kind: 't', nu: 1e6 });
  for (let i = 0; i < B; i++) {
    let mc = 0;
    for (let j = 0; j < L; j++) {
      const mu = h[i * 2 * L + j], lv = h[i * 2 * L + L + j], e = eps[i * L + j];
      const z = mu + Math.exp(lv / 2) * e;
      assert.ok(Math.abs(big.z[i * L + j] - z) < 1e-15);
      mc += -lv / 2 - (e * e) / 2 + (z * z) / 2;
    }
    assert.ok(Math.abs(big.klRows[i] - mc) < 1e-4, `row ${i}: ${big.klRows[i]} vs ${mc}`);
  }
});

test('adam first step moves by lr*g/(|g|+eps); sgd step', () => {
  const g = [0.5, -2, 1e-3, 0], p0 = [1, 2, 3, 4];
  const p = Float64Array.from(p0), m = new Float64Array(4), v = new Float64Array(4);
  const cfg = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
  adamStep(p, g, m, v, 1, cfg);
  for (let i = 0; i < 4; i++) {
    const want = p0[i] - (cfg.lr * g[i]) / (Math.abs(g[i]) + cfg.eps);
    assert.ok(Math.abs(p[i] - want) < 1e-15, `p[${i}] ${p[i]} vs ${want}`);
    assert.ok(Math.abs(m[i] - 0.1 * g[i]) < 1e-16);
    assert.ok(Math.abs(v[i] - 0.001 * g[i] * g[i]) < 1e-16);
  }
  const q = Float64Array.from(p0);
  sgdStep(q, g, 0.1);
  assert.deepEqual(Array.from(q), p0.map((x, i) => x - 0.1 * g[i]));
});

test('shape and prior validation name the bad value', () => {
  assert.doesNotThrow(() => validateShape({ encoder: [784, 400, 128], latent: 10, decoder: [128, 400, 784] }));
  assert.throws(() => validateShape({ encoder: [784, 400], latent: 10, decoder: [400, 783] }), /783/);
  assert.throws(() => validateShape({ encoder: [784, 400], latent: 0, decoder: [400, 784] }), /latent.*0/);
  assert.throws(() => validateShape({ encoder: [784, 12.5], latent: 3, decoder: [400, 784] }), /12\.5/);
  assert.throws(() => validateShape({ encoder: [784, -3], latent: 3, decoder: [400, 784] }), /-3/);
  assert.throws(() => layerShapes({ encoder: [5], latent: 2, decoder: [0, 5] }), /decoder\[0\].*0/);
  const h = new Float64Array(4), e = new Float64Array(2);
  assert.throws(() => reparamForward(h, e, 1, 2, { kind: 't', nu: -1 }), /-1/);
  assert.throws(() => reparamForward(h, e, 1, 2, { kind: 't', nu: 0 }), /nu.*0/);
  assert.throws(() => reparamForward(h, e, 1, 2, { kind: 't', nu: Infinity }), /Infinity/);
  assert.throws(() => reparamForward(h, e, 1, 2, { kind: 't', nu: NaN }), /NaN/);
});

test('multivariate and iid t KL: identical at L = 1 (one chi2 either way), different at L >= 2', () => {
  const r = normalSource(17);
  for (const L of [1, 2, 5]) {
    const B = 4, h = fill(B * 2 * L, r), eps = fill(B * L, r);
    const iid = reparamForward(h, eps, B, L, { kind: 't', nu: 3 }).klRows;
    const mv = reparamForward(h, eps, B, L, { kind: 't', nu: 3, multivariate: true }).klRows;
    const gap = Math.max(...iid.map((v, i) => Math.abs(v - mv[i])));
    if (L === 1) assert.ok(gap < 1e-12, `L=1: iid and multivariate differ by ${gap}`);
    else assert.ok(gap > 1e-3, `L=${L}: iid and multivariate KL rows agree (${gap}), so one of them is wrong`);
  }
});
