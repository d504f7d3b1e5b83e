// shaders/mwg_log_weight.wgsl against src/ref/mwg_log_weight.ts: every latent family (normal, iid t,
// multivariate t; nu small and large), awkward sizes, logits in the tails. Missing pixels must not
// count: changing them leaves the terms bit-identical.
// Tolerance: joint 1e-3 + 1e-5 |ref| (a sum of up to 784 f32 Bernoulli terms, as bce_sigmoid);
// logq, logqCur 1e-4 + 1e-5 |ref| (L terms; the t terms go through the series log1p).
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
  const mask = Float32Array.from(uniformArray(M * D, seed + 1, 0, 1), (u) => (u < 0.3 ? 1 : 0));
  const logits = uniformArray(M * D, seed + 2, -12, 12);
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
  return { M, D, L, x, mask, logits, h, z, zCur };
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
      assertClose(pick(gpu, 0), pick(ref, 0), { atol: 1e-3, rtol: 1e-5 }, 'joint');
      assertClose(pick(gpu, 1), pick(ref, 1), { atol: 1e-4, rtol: 1e-5 }, 'logq');
      assertClose(pick(gpu, 2), pick(ref, 2), { atol: 1e-4, rtol: 1e-5 }, 'logqCur');
    });
  }
}

test('mwg_log_weight: missing pixels do not enter, observed ones do', async () => {
  const family: LatentFamily = { kind: 't', nu: 2.5 };
  const a = logWeightInputs(5, 100, 4, 9);
  const base = await call(family, a);
  const x = a.x.slice(), logits = a.logits.slice();
  for (let i = 0; i < x.length; i++) if (a.mask[i] !== 0) { x[i] = 1 - x[i]; logits[i] = -3 * logits[i]; }
  assert.deepEqual(Array.from(await call(family, { ...a, x, logits })), Array.from(base));
  const flipped = a.x.slice();
  const firstObserved = a.mask.findIndex((v) => v === 0);
  flipped[firstObserved] = 1 - flipped[firstObserved];
  assert.notEqual((await call(family, { ...a, x: flipped }))[Math.floor(firstObserved / 100) * 4], base[Math.floor(firstObserved / 100) * 4]);
});
