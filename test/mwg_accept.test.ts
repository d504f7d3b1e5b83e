// shaders/mwg_accept.wgsl against src/ref/mwg_accept.ts: the accept decisions (same Philox
// uniform as the reference; a row whose log u lies within 1e-5 of log rho may flip under f32
// rounding and is excluded), log rho (1e-5 + 1e-6 |ref|), the z and logits swaps and the accept
// count (exact copies), the Bernoulli draws of the missing pixels (exactly the reference's 0/1
// values; a pixel whose uniform lies within 1e-6 of its probability may flip and is excluded)
// and the running average of the Bernoulli means (1e-6 + 1e-6 |ref|). Observed pixels and
// padding must come back bit-identical, whatever they hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptUniform, drawUniform, logAcceptRatio, mwgDecideRef, mwgRefillRef } from '../src/ref/mwg_accept.ts';
import { sigmoid } from '../src/ref/bce.ts';
import { seedKey } from '../src/kernels/sampler.ts';
import { assertClose, assertPaddingZero, normalArray, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
type Out = { zCur: Float32Array; chain: Float32Array; xhat: Float32Array; acc: Float32Array; logitsCur: Float32Array };

function inputs(M: number, L: number, D: number, seed: number) {
  const terms = new Float32Array(M * 4), chain = new Float32Array(M * 4);
  // log rho spread over about [-3, 3] so both outcomes are common
  // (likRatio, wProp, wCur, 0) with likRatio + wProp - wCur = spread
  const a = uniformArray(M * 4, seed, -6, 6), spread = uniformArray(M, seed + 1, -3, 3);
  for (let m = 0; m < M; m++) {
    terms[m * 4 + 1] = a[m * 4 + 1];
    terms[m * 4 + 2] = a[m * 4 + 2];
    terms[m * 4] = spread[m] - terms[m * 4 + 1] + terms[m * 4 + 2];
    chain[m * 4] = 7; // the previous step's log rho: overwritten
    chain[m * 4 + 2] = m % 5;
  }
  const mask = Float32Array.from(uniformArray(M * D, seed + 2, 0, 1), (u) => (u < 0.4 ? 1 : 0));
  const xhat = uniformArray(M * D, seed + 3, 0, 1);
  return {
    M, L, D, terms, chain, mask, xhat,
    z: normalArray(M * L, seed + 4), zCur: normalArray(M * L, seed + 5),
    logits: uniformArray(M * D, seed + 6, -90, 90), acc: uniformArray(M * D, seed + 7, 0, 1),
    // the tails and the middle, where draws are uncertain
    logitsCur: Float32Array.from(uniformArray(M * D, seed + 8, -1, 1), (v, i) => (i % 3 === 0 ? 40 * v : 3 * v)),
  };
}

const call = (a: ReturnType<typeof inputs>, o: { seed: number; step: number; force: boolean; weight: number }) =>
  harness().call<Out>('mwgAccept', { ...a, ...o });

for (const [M, L, D] of [[300, 10, 784], [3, 1, 13], [65, 7, 5], [1, 3, 1]] as const) {
  test(`mwg_accept decide + refill, M=${M} L=${L} D=${D}`, async () => {
    const a = inputs(M, L, D, M + L + D);
    const o = { seed: 2 ** 33 + 17, step: 12345, force: false, weight: 0.25 };
    const gpu = await call(a, o);
    const key = seedKey(o.seed);
    const dec = mwgDecideRef(a, key, o.step, false);
    const near = (m: number) => Math.abs(Math.log(acceptUniform(key, o.step, m)) - logAcceptRatio(a.terms, m)) < 1e-5;
    const chain = gpu.chain.slice();
    for (let m = 0; m < M; m++) if (near(m)) chain.set(dec.chain.subarray(m * 4, m * 4 + 4), m * 4); // may flip: take the reference's
    assertClose(Array.from({ length: M }, (_, m) => gpu.chain[m * 4]), Array.from({ length: M }, (_, m) => dec.chain[m * 4]), { atol: 1e-5, rtol: 1e-6 }, 'log rho');
    for (let m = 0; m < M; m++) {
      if (near(m)) continue;
      assert.deepEqual(Array.from(gpu.chain.subarray(m * 4 + 1, m * 4 + 4)), Array.from(Float32Array.from(dec.chain.subarray(m * 4 + 1, m * 4 + 4))), `chain row ${m}`);
    }
    const zCur = unpad(gpu.zCur, M, L);
    for (let m = 0; m < M; m++) {
      if (near(m)) continue;
      assert.deepEqual(Array.from(zCur.subarray(m * L, (m + 1) * L)), Array.from(Float32Array.from(dec.zCur.subarray(m * L, (m + 1) * L))), `z row ${m}`);
    }
    assertPaddingZero(gpu.zCur, M, L, 'zCur');
    const ref = mwgRefillRef({ ...a, chain }, key, o.step, o.weight);
    for (const [k, v] of [['xhat', gpu.xhat], ['acc', gpu.acc], ['logitsCur', gpu.logitsCur]] as const) assertPaddingZero(v, M, D, k);
    // logitsCur: the proposal's where the row accepted, untouched elsewhere, bit for bit
    assert.deepEqual(Array.from(unpad(gpu.logitsCur, M, D)), Array.from(Float32Array.from(ref.logitsCur)), 'logitsCur');
    const xhat = unpad(gpu.xhat, M, D);
    let compared = 0;
    for (let m = 0; m < M; m++) {
      for (let d = 0; d < D; d++) {
        const i = m * D + d;
        if (a.mask[i] === 0) { assert.equal(xhat[i], a.xhat[i], `observed pixel ${i}`); continue; }
        assert.ok(xhat[i] === 0 || xhat[i] === 1, `missing pixel ${i} drew ${xhat[i]}`);
        if (Math.abs(drawUniform(key, o.step, m, d) - ref.p[i]) < 1e-6) continue; // may flip under f32 rounding
        assert.equal(xhat[i], ref.xhat[i], `draw at row ${m} pixel ${d} (p = ${ref.p[i]})`);
        compared++;
      }
    }
    assert.ok(compared > 0 || a.mask.every((v) => v === 0));
    assertClose(unpad(gpu.acc, M, D), ref.acc, { atol: 1e-6, rtol: 1e-6 }, 'acc');
    if (M >= 65) {
      const rate = Array.from({ length: M }, (_, m) => gpu.chain[m * 4 + 1]).reduce((s, v) => s + v, 0) / M;
      assert.ok(rate > 0.1 && rate < 0.9, `acceptance ${rate} on log rho spread over [-3, 3]`);
    }
  });
}

test('mwg_accept: the pixel draws are Bernoulli(sigmoid(logitsCur)): their sum over many pixels is within 5 sd of sum p', async () => {
  // one row set that never accepts (log rho = -1e30), so every draw uses the given logitsCur
  const M = 64, L = 2, D = 200;
  const a = inputs(M, L, D, 21);
  a.terms.fill(0);
  for (let m = 0; m < M; m++) a.terms[m * 4] = -1e30;
  a.mask.fill(1);
  const gpu = await call(a, { seed: 77, step: 5, force: false, weight: 0 });
  assert.ok(Array.from({ length: M }, (_, m) => gpu.chain[m * 4 + 1]).every((v) => v === 0), 'no row may accept');
  const xhat = unpad(gpu.xhat, M, D);
  let sum = 0, mean = 0, variance = 0;
  for (let i = 0; i < M * D; i++) {
    const p = sigmoid(a.logitsCur[i]);
    sum += xhat[i];
    mean += p;
    variance += p * (1 - p);
  }
  assert.ok(Math.abs(sum - mean) < 5 * Math.sqrt(variance), `${sum} ones drawn, expected ${mean} +- ${Math.sqrt(variance)}`);
});

test('mwg_accept: observed pixels come back bit-identical, whatever they hold, accepted or not', async () => {
  const M = 64, L = 4, D = 30;
  const a = inputs(M, L, D, 5);
  const bits = new Uint32Array(a.xhat.buffer);
  // odd values where observed: subnormals, -0, a NaN payload, huge numbers
  const odd = [0x00000001, 0x80000000, 0x7fc01234, 0x7f7fffff, 0x3dcccccd];
  for (let i = 0; i < bits.length; i++) if (a.mask[i] === 0) bits[i] = odd[i % odd.length];
  for (const force of [false, true]) {
    const gpu = await call(a, { seed: 3, step: 1, force, weight: 0 });
    const out = new Uint32Array(unpad(gpu.xhat, M, D).buffer);
    let changedMissing = 0;
    for (let i = 0; i < bits.length; i++) {
      if (a.mask[i] === 0) assert.equal(out[i], bits[i], `observed pixel ${i} changed (force ${force})`);
      else if (out[i] !== bits[i]) changedMissing++;
    }
    assert.ok(changedMissing > 0, 'no missing pixel was redrawn');
    if (force) assert.ok(Array.from({ length: M }, (_, m) => gpu.chain[m * 4 + 1]).every((v) => v === 1), 'force must accept every row');
  }
});

test('mwg_accept: same seed and step give the same decisions; another step gives others', async () => {
  const a = inputs(256, 2, 4, 11);
  const decisions = async (seed: number, step: number) => {
    const c = (await call(a, { seed, step, force: false, weight: 0 })).chain;
    return Array.from({ length: a.M }, (_, m) => c[m * 4 + 1]);
  };
  const first = await decisions(9, 100);
  assert.deepEqual(await decisions(9, 100), first);
  assert.notDeepEqual(await decisions(9, 101), first);
  assert.notDeepEqual(await decisions(10, 100), first);
});
