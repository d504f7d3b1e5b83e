import { test } from 'node:test';
import assert from 'node:assert/strict';
// The special functions are production code (src/stats/special.ts), checked here against published
// values, closed forms and quadrature; the KS helpers and moments are the samplers' test reference.
import { logGamma, normalCdf, regularizedIncompleteBeta, studentTCdf } from '../src/stats/special.ts';
import { correlation, ksCriticalValue, ksStatistic, mean, variance } from '../src/ref/stats.ts';

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what}: got ${actual}, expected ${expected} (|diff| = ${Math.abs(actual - expected)} > ${tol})`,
  );
}

function closeRel(actual: number, expected: number, rel: number, what: string): void {
  close(actual, expected, rel * Math.abs(expected), what);
}

// Tiny seeded uniform generator so the KS tests are deterministic.
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const uniformCdf = (x: number): number => Math.min(1, Math.max(0, x));

// Independent check of studentTCdf: F(t) = 1/2 + integral_0^t of the t density, by composite
// Simpson. Only the normalising constant shares code (logGamma, tested on its own below).
function studentTCdfBySimpson(t: number, nu: number, intervals = 20000): number {
  const logNorm = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI);
  const pdf = (x: number): number => Math.exp(logNorm - ((nu + 1) / 2) * Math.log1p((x * x) / nu));
  const h = t / intervals;
  let sum = pdf(0) + pdf(t);
  for (let i = 1; i < intervals; i++) sum += (i % 2 === 1 ? 4 : 2) * pdf(i * h);
  return 0.5 + (sum * h) / 3;
}

test('normalCdf matches known values', () => {
  assert.equal(normalCdf(0), 0.5);
  close(normalCdf(1), 0.8413447460685429, 1e-15, 'Phi(1)');
  close(normalCdf(-1.96), 0.024997895148220435, 1e-15, 'Phi(-1.96)');
  close(normalCdf(3), 0.9986501019683699, 1e-15, 'Phi(3)');
  closeRel(normalCdf(-8), 6.22096057427178e-16, 1e-9, 'Phi(-8)');
});

test('normalCdf is symmetric, monotone and keeps the lower tail relative', () => {
  for (const x of [0.1, 0.7, 1.4, 1.5, 2, 2.9, 4, 6]) {
    close(normalCdf(-x) + normalCdf(x), 1, 2e-16, `Phi(-${x}) + Phi(${x})`);
  }
  // Sweep across the series / continued-fraction switch (|x| = sqrt 2) looking for a jump.
  let prev = normalCdf(-6);
  for (let x = -6 + 1e-3; x < 6; x += 1e-3) {
    const cur = normalCdf(x);
    assert.ok(cur >= prev, `Phi not monotone at ${x}`);
    prev = cur;
  }
  closeRel(normalCdf(-3), 1 - 0.9986501019683699, 1e-12, 'Phi(-3)');
  assert.equal(normalCdf(-Infinity), 0);
  assert.equal(normalCdf(Infinity), 1);
  assert.ok(normalCdf(-40) >= 0 && normalCdf(-40) < 1e-300);
});

test('logGamma matches known values', () => {
  close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-15, 'lgamma(0.5)');
  close(logGamma(1), 0, 1e-15, 'lgamma(1)');
  close(logGamma(2), 0, 1e-15, 'lgamma(2)');
  closeRel(logGamma(10), Math.log(362880), 1e-14, 'lgamma(10)');
  const x = 1000.5;
  const stirling = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI)
    + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
  closeRel(logGamma(x), stirling, 1e-14, 'lgamma(1000.5)');
});

test('logGamma agrees with ln((n-1)!) and Gamma(n + 1/2) up to 170', () => {
  let logFact = 0; // ln((n-1)!)
  let logHalf = 0.5 * Math.log(Math.PI); // ln Gamma(n + 1/2)
  for (let n = 1; n <= 170; n++) {
    if (n > 1) logFact += Math.log(n - 1);
    logHalf += Math.log(n - 0.5);
    if (n > 2) closeRel(logGamma(n), logFact, 1e-13, `lgamma(${n})`);
    closeRel(logGamma(n + 0.5), logHalf, 1e-13, `lgamma(${n + 0.5})`);
  }
});

test('logGamma satisfies lgamma(x + 1) = lgamma(x) + ln x across its branches', () => {
  for (const x of [0.1, 0.37, 0.4999, 0.5, 0.9, 1.4999, 1.5, 2.4999, 2.5, 3.7, 13.99, 14.5, 15, 99.3, 999]) {
    close(logGamma(x + 1), logGamma(x) + Math.log(x), 2e-15 * Math.max(1, Math.abs(logGamma(x + 1))), `x=${x}`);
  }
  // Near the zeros the answer is tiny; lgamma(1 + e) ~ -gamma e.
  closeRel(logGamma(1 + 1e-8), -0.5772156649015329e-8, 1e-7, 'lgamma(1 + 1e-8)');
  assert.throws(() => logGamma(0), RangeError);
  assert.throws(() => logGamma(-1), RangeError);
});

test('regularizedIncompleteBeta matches closed forms', () => {
  // Dyadic x so that 1 - x is exact and the reflection compares the same point.
  for (const x of [2 ** -20, 1 / 128, 0.3125, 0.5, 0.78125, 1 - 2 ** -10]) {
    for (const a of [0.3, 1, 2.5, 40]) {
      // I_x(a, 1) = x^a and I_x(1, b) = 1 - (1 - x)^b.
      closeRel(regularizedIncompleteBeta(x, a, 1), x ** a, 1e-12, `I_${x}(${a}, 1)`);
      close(regularizedIncompleteBeta(x, 1, a), 1 - (1 - x) ** a, 1e-14, `I_${x}(1, ${a})`);
      // Reflection I_x(a, b) + I_{1-x}(b, a) = 1.
      close(regularizedIncompleteBeta(x, a, 3.3) + regularizedIncompleteBeta(1 - x, 3.3, a), 1, 1e-13, 'reflection');
    }
  }
  for (const a of [0.5, 3, 77.7, 5000]) close(regularizedIncompleteBeta(0.5, a, a), 0.5, 1e-13, `I_0.5(${a}, ${a})`);
  // I_x(2, 3) = 6x^2 (1/2 - 2x/3 + x^2/4) integrated: at x = 1/2 it is 11/16.
  close(regularizedIncompleteBeta(0.5, 2, 3), 11 / 16, 1e-15, 'I_0.5(2, 3)');
  assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
  assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
});

test('studentTCdf with nu = 1 is the Cauchy CDF', () => {
  for (const t of [-50, -3, -1, -0.2, 0, 0.4, 1, 2.5, 10, 50]) {
    close(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-14, `F(${t}; 1)`);
  }
});

test('studentTCdf with nu = 2 matches its closed form', () => {
  for (const t of [-20, -4, -1.3, -0.1, 0, 0.5, 1, 3, 30]) {
    close(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-14, `F(${t}; 2)`);
  }
});

test('studentTCdf approaches normalCdf as nu grows', () => {
  close(studentTCdf(1, 1000), normalCdf(1), 1e-3, 'nu = 1000 at t = 1');
  assert.notEqual(studentTCdf(1, 1000), normalCdf(1));
  // For huge nu, F = Phi(t) - phi(t)(t^3 + t)/(4 nu) + O(nu^-2); a plain Lentz evaluation of the
  // beta continued fraction is ~1e-4 relative off here, so this guards the contracted form.
  const nu = 1e10;
  for (const t of [-6, -3, -2, -1, 0.5, 1.8, 3]) {
    const phi = Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
    const expected = normalCdf(t) - (phi * (t ** 3 + t)) / (4 * nu);
    const tail = Math.min(expected, 1 - expected);
    close(studentTCdf(t, nu), expected, 1e-12 * tail, `F(${t}; 1e10)`);
  }
});

test('studentTCdf is 1/2 at 0 and symmetric', () => {
  assert.equal(studentTCdf(0, 0.5), 0.5);
  for (const nu of [0.5, 1, 2.5, 21, 1000]) {
    assert.equal(studentTCdf(0, nu), 0.5);
    for (const t of [0.01, 0.7, 1.5, 3, 12]) {
      close(studentTCdf(-t, nu), 1 - studentTCdf(t, nu), 1e-15, `symmetry nu=${nu} t=${t}`);
    }
  }
  assert.equal(studentTCdf(Infinity, 3), 1);
  assert.equal(studentTCdf(-Infinity, 3), 0);
});

test('studentTCdf matches Simpson integration of the density', () => {
  const f21 = studentTCdf(2.0, 21);
  close(f21, 0.9707, 1e-4, 'F(2; 21) tabulated');
  close(f21, studentTCdfBySimpson(2.0, 21), 1e-10, 'F(2; 21) by Simpson');
  close(studentTCdf(3, 0.5), studentTCdfBySimpson(3, 0.5), 1e-10, 'F(3; 0.5) by Simpson');
  close(studentTCdf(1.5, 2.5), studentTCdfBySimpson(1.5, 2.5), 1e-10, 'F(1.5; 2.5) by Simpson');
  close(studentTCdf(-0.8, 1000), studentTCdfBySimpson(-0.8, 1000), 1e-10, 'F(-0.8; 1000) by Simpson');
});

test('studentTCdf rejects invalid nu', () => {
  for (const nu of [0, -1, NaN, Infinity, -Infinity]) {
    assert.throws(() => studentTCdf(1, nu), RangeError, `nu=${nu}`);
  }
});

test('ksStatistic checks both sides of every step', () => {
  // Steps at 0.1, 0.5, 0.9: gaps 1/3 - 0.1, 0.1, 2/3 - 0.5, 0.5 - 1/3, 1 - 0.9, 0.9 - 2/3.
  close(ksStatistic([0.1, 0.5, 0.9], uniformCdf), 0.9 - 2 / 3, 1e-15, 'D of [0.1, 0.5, 0.9]');
  close(ksStatistic([0.9, 0.1, 0.5], uniformCdf), 0.9 - 2 / 3, 1e-15, 'unsorted input');
  close(ksStatistic([0.5, 0.5], uniformCdf), 0.5, 0, 'tied sample');
  const sample = [0.3, 0.2, 0.1];
  ksStatistic(sample, uniformCdf);
  assert.deepEqual(sample, [0.3, 0.2, 0.1], 'input must not be sorted in place');
});

test('ksStatistic accepts a uniform sample and rejects a shifted one', () => {
  const n = 20000;
  const rand = mulberry32(12345);
  const sample = new Float64Array(n);
  for (let i = 0; i < n; i++) sample[i] = rand();
  const crit = ksCriticalValue(n, 0.001);
  const d = ksStatistic(sample, uniformCdf);
  assert.ok(d < crit, `uniform sample rejected: D = ${d}, critical = ${crit}`);
  const shifted = sample.map((u) => u + 0.05);
  const dShifted = ksStatistic(shifted, uniformCdf);
  assert.ok(dShifted > crit, `shifted sample accepted: D = ${dShifted}, critical = ${crit}`);
});

test('ksCriticalValue uses c(alpha) = sqrt(-ln(alpha/2)/2)', () => {
  close(ksCriticalValue(10000, 0.001), 0.01949, 1e-4, 'n = 1e4, alpha = 0.001');
  close(ksCriticalValue(1, 0.05), 1.3581, 1e-4, 'c(0.05)');
});

test('mean, variance and correlation', () => {
  assert.equal(mean([1, 2, 3, 4]), 2.5);
  close(variance([1, 2, 3, 4]), 5 / 3, 1e-15, 'variance');
  // A large common offset must not wreck the variance (two-pass).
  close(variance([1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4]), 5 / 3, 1e-9, 'variance with offset');
  const a = [1, 2, 3, 4, 5];
  close(correlation(a, a.map((v) => 2 * v + 1)), 1, 1e-15, 'perfect positive');
  close(correlation(a, a.map((v) => -v)), -1, 1e-15, 'perfect negative');
  // x = 1..5, y = [2, 1, 4, 3, 5]: sum dx dy = 8, sum dx^2 = sum dy^2 = 10.
  close(correlation(a, [2, 1, 4, 3, 5]), 0.8, 1e-15, 'known r');
  assert.throws(() => correlation([1, 2], [1, 2, 3]), RangeError);
  assert.throws(() => variance([1]), RangeError);
});
