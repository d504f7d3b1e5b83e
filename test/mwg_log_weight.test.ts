// shaders/mwg_log_weight.wgsl against src/ref/mwg_log_weight.ts: every latent family (normal, iid t,
// multivariate t; nu small and large), awkward sizes, logits in the tails. Every pixel of the
// completed image counts (observed and currently imputed alike): changing any one changes the
// likelihood ratio by exactly its Bernoulli term; equal logits give a ratio of exactly 0.
// Tolerance: likRatio 1e-3 + 1e-5 |ref| (a sum of up to 784 f32 Bernoulli differences, as
// bce_sigmoid); wProp, wCur 2e-4 + 1e-5 |ref| (two L-term densities each; the t terms go through
// the series log1p).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logDensity } from '../src/ref/log_density.ts';
import { mwgLogWeightRef, type LatentFamily } from '../src/ref/mwg_log_weight.ts';
import { assertClose, normalArray, uniformArray } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

const FAMILIES: LatentFamily[] = [
  { kind: 'normal' }, { kind: 't', nu: 2.5 }, { kind: 't', nu: 1000 }, { kind: 'multivariate-t', nu: 0.7 }, { kind: 'multivariate-t', nu: 21 },
];
const name = (f: LatentFamily) => (f.kind === 'normal' ? 'normal' : `${f.kind}(nu=${f.nu})`);

function logWeightInputs(M: number, D: number, L: number, seed: number) {
  const x = uniformArray(M * D, seed, 0, 1);
  for (let i = 0; i < x.length; i += 3) x[i] = i % 2; // exact 0/1 targets, as MNIST has
  const logits = uniformArray(M * D, seed + 2, -12, 12);
  const logitsCur = uniformArray(M * D, seed + 1, -12, 12);
  const h = new Float32Array(M * 2 * L);
  const mu = normalArray(M * L, seed + 3), logvar = uniformArray(M * L, seed + 4, -4, 1.5), eps = normalArray(M * L, seed + 5);
  const z = new Float32Array(M * L);
  for (let m = 0; m < M; m++) {
    for (let j = 0; j < L; j++) {
      h[m * 2 * L + j] = mu[m * L + j];
      h[m * 2 * L + L + j] = logvar[m * L + j];
      z[m * L + j] = mu[m * L + j] + Math.exp(logvar[m * L + j] / 2) * eps[m * L + j]; // a draw from q
    }
  }
  const zCur = normalArray(M * L, seed + 6, 1.5);
  return { M, D, L, x, logits, logitsCur, h, z, zCur };
}

const call = (family: LatentFamily, a: ReturnType<typeof logWeightInputs>) =>
  harness().call<{ terms: Float32Array }>('mwgLogWeight', { family, ...a }).then((r) => r.terms);

const pick = (t: ArrayLike<number>, k: number) => Array.from({ length: t.length / 4 }, (_, m) => t[m * 4 + k]);

for (const family of FAMILIES) {
  for (const [M, D, L] of [[6, 784, 10], [3, 13, 3], [2, 1, 1], [70, 50, 7]] as const) {
    test(`mwg_log_weight ${name(family)}, M=${M} D=${D} L=${L}`, async () => {
      const a = logWeightInputs(M, D, L, M * 31 + D + L);
      const gpu = await call(family, a);
      const ref = mwgLogWeightRef(family, a);
      for (const v of gpu) assert.ok(Number.isFinite(v), `term ${v} is not finite`);
      assertClose(pick(gpu, 0), pick(ref, 0), { atol: 1e-3, rtol: 1e-5 }, 'likRatio');
      assertClose(pick(gpu, 1), pick(ref, 1), { atol: 2e-4, rtol: 1e-5 }, 'wProp');
      assertClose(pick(gpu, 2), pick(ref, 2), { atol: 2e-4, rtol: 1e-5 }, 'wCur');
      assert.deepEqual(pick(gpu, 3), new Array(M).fill(0), 'the fourth term is 0');
    });
  }
}

test('mwg_log_weight: every pixel of the completed image enters; equal logits give a ratio of exactly 0', async () => {
  const family: LatentFamily = { kind: 't', nu: 2.5 };
  const a = logWeightInputs(5, 100, 4, 9);
  const base = await call(family, a);
  // flip one pixel per row, anywhere in the row (MwG has no mask here: observed and imputed pixels alike)
  const flipped = a.x.slice();
  const where = [0, 37, 99, 50, 63];
  for (let m = 0; m < 5; m++) flipped[m * 100 + where[m]] = 1 - flipped[m * 100 + where[m]];
  const moved = await call(family, { ...a, x: flipped });
  const ref = mwgLogWeightRef(family, { ...a, x: flipped });
  for (let m = 0; m < 5; m++) {
    const i = m * 100 + where[m];
    const step = (flipped[i] - a.x[i]) * (a.logits[i] - a.logitsCur[i]); // the ratio moves by exactly this
    assert.ok(Math.abs(moved[m * 4] - base[m * 4] - step) <= 1e-3 + 1e-5 * Math.abs(base[m * 4]), `row ${m}: moved ${moved[m * 4] - base[m * 4]}, expected ${step}`);
    assert.ok(Math.abs(step) > 1e-2, 'the flip must matter');
    assert.equal(moved[m * 4 + 1], base[m * 4 + 1]);
  }
  assertClose(pick(moved, 0), pick(ref, 0), { atol: 1e-3, rtol: 1e-5 }, 'likRatio after the flips');
  // the chain state proposed again (logits == logitsCur, z == zCur): log rho = 0 exactly
  const same = await call(family, { ...a, logitsCur: a.logits, zCur: a.z });
  for (let m = 0; m < 5; m++) {
    assert.equal(same[m * 4], 0, `row ${m}: likRatio at equal logits`);
    assert.equal(same[m * 4 + 1], same[m * 4 + 2], `row ${m}: wProp == wCur at equal z`);
  }
});

// Independent of src/ref/mwg_log_weight.ts: wProp and wCur against log p(z) - log q(z | h) from the
// oracle densities (src/ref/log_density.ts, which kl_oracle.test.ts integrates to 1; the constants
// cancel within each difference), and likRatio against the Bernoulli log-likelihood typed out,
// sum_d x log s + (1 - x) log(1 - s), s = 1/(1 + e^-l), on moderate logits.
for (const family of FAMILIES) {
  test(`mwg_log_weight ${name(family)}: w = log p(z) - log q(z|h) by the oracle; likRatio by the Bernoulli definition`, async () => {
    const M = 5, D = 6, L = 3;
    const a = logWeightInputs(M, D, L, 77);
    a.logits.forEach((v, i) => { a.logits[i] = v / 4; });
    a.logitsCur.forEach((v, i) => { a.logitsCur[i] = v / 4; });
    const terms = await call(family, a);
    const bern = (x: number, l: number) => { const s = 1 / (1 + Math.exp(-l)); return x * Math.log(s) + (1 - x) * Math.log(1 - s); };
    const ones = new Array(L).fill(1), zeros = new Array(L).fill(0);
    for (let m = 0; m < M; m++) {
      const mu = Array.from(a.h.subarray(m * 2 * L, m * 2 * L + L)), sigma = Array.from(a.h.subarray(m * 2 * L + L, (m + 1) * 2 * L), (lv) => Math.exp(lv / 2));
      const w = (zz: number[]) => logDensity(family, zz, zeros, ones) - logDensity(family, zz, mu, sigma);
      let lik = 0;
      for (let d = 0; d < D; d++) lik += bern(a.x[m * D + d], a.logits[m * D + d]) - bern(a.x[m * D + d], a.logitsCur[m * D + d]);
      const t = terms.subarray(4 * m, 4 * m + 3);
      assertClose(t, [lik, w(Array.from(a.z.subarray(m * L, (m + 1) * L))), w(Array.from(a.zCur.subarray(m * L, (m + 1) * L)))], { atol: 2e-4, rtol: 1e-4 }, `row ${m} (likRatio, wProp, wCur)`);
    }
  });
}
