// The float64 references' backward passes (src/ref/conv2d.ts, batchnorm.ts, leaky_relu.ts) against
// central finite differences of their own forwards, and a chain conv -> BN -> LeakyReLU -> conv ->
// sum of squares end to end. Loss per layer L = sum(r ⊙ f(inputs)) with fixed random r.
// Tolerance: |analytic - fd| <= 1e-6 + 1e-5 |fd| (h = 1e-5, central differences: error O(h²)
// times third derivatives of order 1, plus rounding ~1e-16/h).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  conv2dBackwardData, conv2dBackwardWeight, conv2dForward, convOut, convTOut, convTranspose2dBackwardData,
  convTranspose2dBackwardWeight, convTranspose2dForward, type Conv2dShape, type ConvT2dShape,
} from '../src/ref/conv2d.ts';
import { batchNormBackward, batchNormTrain, type BnShape } from '../src/ref/batchnorm.ts';
import { leakyRelu, leakyReluBackward } from '../src/ref/leaky_relu.ts';
import { normalArray } from './util/compare.ts';
import { chainLossAndGrads, type ChainParams } from './util/conv_chain.ts';

const H_FD = 1e-5;
const TOL = { atol: 1e-6, rtol: 1e-5 };

const f64 = (n: number, seed: number) => Float64Array.from(normalArray(n, seed));
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };

/** Checks grad = dL/dv against central differences of L, perturbing v in place (every entry). */
function checkGrad(what: string, v: Float64Array, grad: ArrayLike<number>, loss: () => number): void {
  assert.equal(grad.length, v.length, `${what}: gradient length`);
  for (let i = 0; i < v.length; i++) {
    const keep = v[i];
    v[i] = keep + H_FD; const up = loss();
    v[i] = keep - H_FD; const down = loss();
    v[i] = keep;
    const fd = (up - down) / (2 * H_FD);
    const err = Math.abs(grad[i] - fd);
    if (!(err <= TOL.atol + TOL.rtol * Math.abs(fd))) assert.fail(`${what}[${i}]: analytic ${grad[i]}, finite difference ${fd}`);
  }
}

const CONV: Conv2dShape[] = [
  { N: 2, Cin: 3, H: 7, W: 6, Cout: 5, KH: 3, KW: 3, stride: 2, pad: 1 },
  { N: 1, Cin: 2, H: 6, W: 6, Cout: 3, KH: 4, KW: 4, stride: 2, pad: 1 },
  { N: 2, Cin: 2, H: 5, W: 5, Cout: 2, KH: 3, KW: 2, stride: 1, pad: 0 },
];

for (const s of CONV) {
  test(`conv2d reference backward = finite differences ${JSON.stringify(s)}`, () => {
    const { Ho, Wo } = convOut(s);
    const x = f64(s.N * s.Cin * s.H * s.W, 1), w = f64(s.Cout * s.Cin * s.KH * s.KW, 2), b = f64(s.Cout, 3);
    const r = f64(s.N * s.Cout * Ho * Wo, 4);
    const loss = () => dot(r, conv2dForward(x, w, b, s));
    const { dw, db } = conv2dBackwardWeight(r, x, s);
    checkGrad('dx', x, conv2dBackwardData(r, w, s), loss);
    checkGrad('dw', w, dw, loss);
    checkGrad('db', b, db, loss);
  });
}

const CONVT: ConvT2dShape[] = [
  { N: 2, Cin: 3, H: 4, W: 3, Cout: 2, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 0 },
  { N: 1, Cin: 2, H: 3, W: 3, Cout: 3, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 1 },
  { N: 1, Cin: 2, H: 3, W: 4, Cout: 2, KH: 4, KW: 4, stride: 2, pad: 1, outputPadding: 0 },
  { N: 2, Cin: 2, H: 3, W: 3, Cout: 2, KH: 2, KW: 3, stride: 1, pad: 0, outputPadding: 0 },
];

for (const s of CONVT) {
  test(`conv_transpose2d reference backward = finite differences ${JSON.stringify(s)}`, () => {
    const { Ho, Wo } = convTOut(s);
    const x = f64(s.N * s.Cin * s.H * s.W, 5), w = f64(s.Cin * s.Cout * s.KH * s.KW, 6), b = f64(s.Cout, 7);
    const r = f64(s.N * s.Cout * Ho * Wo, 8);
    const loss = () => dot(r, convTranspose2dForward(x, w, b, s));
    const { dw, db } = convTranspose2dBackwardWeight(r, x, s);
    checkGrad('dx', x, convTranspose2dBackwardData(r, w, s), loss);
    checkGrad('dw', w, dw, loss);
    checkGrad('db', b, db, loss);
  });
}

test('conv_transpose2d is the adjoint of conv2d: <convT(u), v> = <u, conv(v)> with shared weights', () => {
  // the transposed conv with weight w (Cin_t = conv's Cout) is exactly conv's backward to its input
  const c: Conv2dShape = { N: 2, Cin: 3, H: 7, W: 7, Cout: 4, KH: 3, KW: 3, stride: 2, pad: 1 };
  const { Ho, Wo } = convOut(c);
  const t: ConvT2dShape = { N: 2, Cin: 4, H: Ho, W: Wo, Cout: 3, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 0 };
  const w = f64(4 * 3 * 9, 9), u = f64(2 * 4 * Ho * Wo, 10), v = f64(2 * 3 * 7 * 7, 11);
  const lhs = dot(convTranspose2dForward(u, w, new Float64Array(3), t), v);
  const rhs = dot(u, conv2dForward(v, w, new Float64Array(4), c));
  assert.ok(Math.abs(lhs - rhs) < 1e-9 * (1 + Math.abs(lhs)), `${lhs} vs ${rhs}`);
});

test('batch norm reference backward = finite differences (training mode)', () => {
  const s: BnShape = { N: 3, C: 5, H: 3, W: 2 };
  const n = s.N * s.C * s.H * s.W;
  const x = f64(n, 12), gamma = f64(s.C, 13), beta = f64(s.C, 14), r = f64(n, 15);
  const eps = 1e-5;
  const loss = () => dot(r, batchNormTrain(x, gamma, beta, s, eps).y);
  const f = batchNormTrain(x, gamma, beta, s, eps);
  const g = batchNormBackward(r, x, gamma, f.mean, f.invstd, s);
  checkGrad('dx', x, g.dx, loss);
  checkGrad('dgamma', gamma, g.dgamma, loss);
  checkGrad('dbeta', beta, g.dbeta, loss);
});

test('LeakyReLU reference backward = finite differences', () => {
  const x = f64(50, 16), r = f64(50, 17);
  for (const slope of [0.01, 0.2]) checkGrad(`dx slope ${slope}`, x, leakyReluBackward(r, x, slope), () => dot(r, leakyRelu(x, slope)));
});

test('chain conv -> BN -> LeakyReLU -> conv -> sum of squares: every gradient = finite differences', () => {
  const s1: Conv2dShape = { N: 3, Cin: 2, H: 7, W: 7, Cout: 3, KH: 3, KW: 3, stride: 2, pad: 1 };
  const o1 = convOut(s1);
  const s2: Conv2dShape = { N: 3, Cin: 3, H: o1.Ho, W: o1.Wo, Cout: 2, KH: 2, KW: 2, stride: 1, pad: 0 };
  const p: ChainParams = {
    x: f64(3 * 2 * 49, 20), w1: f64(3 * 2 * 9, 21), b1: f64(3, 22), gamma: f64(3, 23), beta: f64(3, 24), w2: f64(2 * 3 * 4, 25), b2: f64(2, 26),
  };
  const g = chainLossAndGrads(p, s1, s2, 1e-5, 0.1);
  const loss = () => chainLossAndGrads(p, s1, s2, 1e-5, 0.1).loss;
  for (const k of ['x', 'w1', 'b1', 'gamma', 'beta', 'w2', 'b2'] as const) checkGrad(k, p[k], g[k], loss);
  // BN removes the first conv's bias: its gradient is zero up to rounding
  for (const v of g.b1) assert.ok(Math.abs(v) < 1e-10, `b1 gradient ${v} should vanish under BN`);
});
