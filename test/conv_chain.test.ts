// A small CNN chain on the GPU, conv -> BN (training, LeakyReLU fused) -> conv -> sum of squares,
// every gradient against the float64 chain (test/util/conv_chain.ts), whose gradients are checked
// by finite differences in conv_gradients.test.ts: the launchers compose (shapes, layouts, fused
// activation, gradient flow) as a network needs them.
// Tolerance: |gpu - ref| <= 1e-3 + 1e-3 |ref| on the loss and gradients (f32 through five layers
// of sums over up to 441 terms; the first conv's bias gradient, exactly 0 in float64 because BN
// removes it, is rounding only: checked with atol 1e-3 relative to the largest dw1 entry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convOut, type Conv2dShape } from '../src/ref/conv2d.ts';
import { nchwToRows, rowsToNchw, weightFromGpu, weightToGpu } from '../src/kernels/conv_layout.ts';
import { assertClose, normalArray, uniformArray } from './util/compare.ts';
import { chainLossAndGrads, type ChainParams } from './util/conv_chain.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const TOL = { atol: 1e-3, rtol: 1e-3 };

test('GPU chain conv -> BN+LeakyReLU -> conv -> sum of squares: loss and every gradient match the reference', async () => {
  const s1: Conv2dShape = { N: 3, Cin: 2, H: 13, W: 13, Cout: 5, KH: 3, KW: 3, stride: 2, pad: 1 };
  const o1 = convOut(s1);
  const s2: Conv2dShape = { N: 3, Cin: 5, H: o1.Ho, W: o1.Wo, Cout: 3, KH: 4, KW: 4, stride: 2, pad: 1 };
  const f = (a: Float32Array) => Float64Array.from(a);
  const p: ChainParams = {
    x: f(normalArray(3 * 2 * 169, 1)), w1: f(uniformArray(5 * 2 * 9, 2, -0.5, 0.5)), b1: f(uniformArray(5, 3)),
    gamma: f(uniformArray(5, 4, 0.5, 1.5)), beta: f(uniformArray(5, 5)), w2: f(uniformArray(3 * 5 * 16, 6, -0.3, 0.3)), b2: f(uniformArray(3, 7)),
  };
  const eps = 1e-5, slope = 0.2;
  const ref = chainLossAndGrads(p, s1, s2, eps, slope);
  const gpu = await harness().call<Record<keyof ChainParams | 'loss', Float32Array | number>>('convChain', {
    s1, s2, eps, slope,
    p: {
      x: nchwToRows(p.x, 3, 2, 13, 13), w1: weightToGpu(p.w1, 5, 2, 3, 3), b1: Float32Array.from(p.b1), gamma: Float32Array.from(p.gamma),
      beta: Float32Array.from(p.beta), w2: weightToGpu(p.w2, 3, 5, 4, 4), b2: Float32Array.from(p.b2),
    },
  });
  const arr = (k: keyof ChainParams) => gpu[k] as Float32Array;
  assertClose([gpu.loss as number], [ref.loss], TOL, 'loss');
  assertClose(rowsToNchw(arr('x'), 3, 2, 13, 13), ref.x, TOL, 'dx');
  assertClose(weightFromGpu(arr('w1'), 5, 2, 3, 3), ref.w1, TOL, 'dw1');
  assertClose(arr('gamma'), ref.gamma, TOL, 'dgamma');
  assertClose(arr('beta'), ref.beta, TOL, 'dbeta');
  assertClose(weightFromGpu(arr('w2'), 3, 5, 4, 4), ref.w2, TOL, 'dw2');
  assertClose(arr('b2'), ref.b2, TOL, 'db2');
  const scale = Math.max(...ref.w1.map(Math.abs));
  for (const v of arr('b1')) assert.ok(Math.abs(v) <= 1e-3 * scale, `db1 ${v} should vanish under BN (dw1 scale ${scale})`);
});
