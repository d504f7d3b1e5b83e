// The standalone LeakyReLU (shaders/leaky_relu.wgsl via src/kernels/leaky_relu.ts) against the
// float64 reference (src/ref/leaky_relu.ts), forward and backward, exact zeros included (at 0 the
// output is 0 and the derivative is the slope, PyTorch's convention). Padding stays 0.
// Tolerance: |gpu - ref| <= 1e-7 + 1e-6 |ref| (one f32 multiply).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leakyRelu, leakyReluBackward } from '../src/ref/leaky_relu.ts';
import { assertClose, assertPaddingZero, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const TOL = { atol: 1e-7, rtol: 1e-6 };

for (const [M, C, slope] of [[37, 5, 0.01], [3 * 14 * 14, 32, 0.2], [1, 1, 0.5], [6, 3, 0]] as const) {
  test(`leaky_relu M=${M} C=${C} slope ${slope}: forward and backward`, async () => {
    const x = uniformArray(M * C, M + C).map((v, i) => (i % 7 === 0 ? 0 : v));
    const dy = uniformArray(M * C, M + C + 1);
    const out = await harness().call<{ y: Float32Array; dx: Float32Array }>('leakyRelu', { M, C, x, dy, slope });
    assertPaddingZero(out.y, M, C, 'y');
    assertPaddingZero(out.dx, M, C, 'dx');
    assertClose(unpad(out.y, M, C), leakyRelu(x, slope), TOL, 'y');
    assertClose(unpad(out.dx, M, C), leakyReluBackward(dy, x, slope), TOL, 'dx');
  });
}

// Independent of src/ref: PyTorch's definition typed out on values whose answers are exact in f32
// (slope 0.25), so a wrong formula shared by the kernel and the reference still fails here.
test('leaky_relu matches its definition typed out (slope 0.25, exact zeros: output 0, derivative the slope)', async () => {
  const x = new Float32Array([-4, -0.5, 0, 0.5, 3, -0, 2, -2]);
  const dy = new Float32Array([1, 2, 4, 8, -1, -2, -4, 16]);
  const out = await harness().call<{ y: Float32Array; dx: Float32Array }>('leakyRelu', { M: 2, C: 4, x, dy, slope: 0.25 });
  const y = Array.from(unpad(out.y, 2, 4), (v) => v + 0); // -0 and 0 compare equal
  assert.deepEqual(y, [-1, -0.125, 0, 0.5, 3, 0, 2, -0.5]);
  assert.deepEqual(Array.from(unpad(out.dx, 2, 4)), [0.25, 0.5, 1, 8, -1, -0.5, -4, 4]);
});
