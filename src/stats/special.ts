// Special functions of the statistics: log-gamma, the normal CDF, the regularized incomplete beta
// and the Student-t CDF, in float64 to near machine precision. Production code uses them (Welch
// p-values and power in src/eval/aggregate.ts, quantile grids, the synthetic data's curves) and so
// do the samplers' goodness-of-fit tests (src/ref/stats.ts re-exports them): no kernel computes
// any of these, so sharing them defeats no check. No maintained special-function package is
// installed (the project has none for statistics), hence this module; test/stats.test.ts checks
// it against published values (the normal and t tables), closed forms and Simpson quadrature.

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
const EPS = 1e-16;
const TINY = 1e-300;

// Stirling tail: lgamma(x) - [(x - 1/2) ln x - x + ln sqrt(2 pi)] = sum_k B_2k / (2k (2k-1) x^(2k-1)).
// Coefficients are B_2k / (2k (2k-1)) for k = 1..8; for x >= 10 the first omitted term is < 2e-18.
const STIRLING = [
  1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400,
];
const STIRLING_MIN = 15;

function stirlingCorrection(x: number): number {
  const inv2 = 1 / (x * x);
  let sum = 0;
  // Horner in 1/x^2 from the smallest term up, so rounding stays at the last place.
  for (let k = STIRLING.length - 1; k >= 0; k--) sum = sum * inv2 + STIRLING[k];
  return sum / x;
}

// zeta(k) - 1 for k = 2..ZETA_TERMS+1: direct sum to N-1 plus an Euler-Maclaurin tail
//   sum_{n>=N} n^-k = N^(1-k)/(k-1) + N^-k/2 + sum_j B_2j/(2j)! k(k+1)..(k+2j-2) N^(-k-2j+1).
const ZETA_TERMS = 40;
const ZETA_MINUS_ONE: number[] = (() => {
  const N = 20;
  const bernoulliOverFact = [1 / 12, -1 / 720, 1 / 30240, -1 / 1209600, 1 / 47900160];
  const out: number[] = [];
  for (let k = 2; k <= ZETA_TERMS + 1; k++) {
    let tail = Math.pow(N, 1 - k) / (k - 1) + 0.5 * Math.pow(N, -k);
    let rising = k; // k (k+1) ... (k+2j-2)
    for (let j = 0; j < bernoulliOverFact.length; j++) {
      tail += bernoulliOverFact[j] * rising * Math.pow(N, -k - 2 * j - 1);
      rising *= (k + 2 * j + 1) * (k + 2 * j + 2);
    }
    let head = 0;
    for (let n = N - 1; n >= 2; n--) head += Math.pow(n, -k); // small terms first
    out.push(head + tail);
  }
  return out;
})();
const EULER_GAMMA = 0.5772156649015329;

// lgamma(1 + z) for |z| <= 1/2 from the Taylor series -gamma z + sum_k (-1)^k zeta(k) z^k / k,
// with the zeta(k) = 1 part summed in closed form (z - log1p z) so the rest decays like (z/2)^k.
// This keeps full relative accuracy at the zeros x = 1 and x = 2, where Stirling plus a
// shift recurrence would only reach ~1e-15 absolute.
function logGammaOnePlus(z: number): number {
  // Horner for sum_{i>=0} (-1)^i (zeta(i+2) - 1) z^i / (i+2), times z^2.
  let p = 0;
  for (let i = ZETA_TERMS - 1; i >= 0; i--) {
    p = p * z + (i % 2 === 0 ? 1 : -1) * ZETA_MINUS_ONE[i] / (i + 2);
  }
  return -EULER_GAMMA * z + (z - Math.log1p(z)) + z * z * p;
}

export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be > 0, got ${x}`);
  if (x === Infinity) return Infinity;
  // z below is exact (Sterbenz), so the only rounding is in the series itself.
  if (x < 0.5) return logGammaOnePlus(x) - Math.log(x);
  if (x < 1.5) return logGammaOnePlus(x - 1);
  if (x < 2.5) return logGammaOnePlus(x - 2) + Math.log1p(x - 2);
  // 2.5 <= x < 15: step down with Gamma(x) = (x-1) Gamma(x-1) into [1.5, 2.5); each x - 1
  // is exact and the product of <= 13 factors cannot overflow.
  if (x < STIRLING_MIN) {
    let prod = 1;
    let y = x;
    while (y >= 2.5) {
      y -= 1;
      prod *= y;
    }
    return logGammaOnePlus(y - 2) + Math.log1p(y - 2) + Math.log(prod);
  }
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingCorrection(x);
}

// ln B(a, b). Summing three lgammas loses ~|lgamma(a+b)| * 1e-16 absolutely, which ruins the
// prefactor of I_x when a is huge (Student-t with large nu); expanding Stirling analytically
// cancels the big terms exactly.
function logBeta(a: number, b: number): number {
  const big = Math.max(a, b), small = Math.min(a, b);
  if (big < 10) return logGamma(a) + logGamma(b) - logGamma(a + b);
  const corrDiff = stirlingCorrection(big) - stirlingCorrection(big + small);
  if (small < 10) {
    return logGamma(small) - small * Math.log(big) - (big + small - 0.5) * Math.log1p(small / big)
      + small + corrDiff;
  }
  const sum = a + b;
  return LN_SQRT_2PI - 0.5 * Math.log(sum)
    + (a - 0.5) * Math.log(a / sum) + (b - 0.5) * Math.log(b / sum)
    + stirlingCorrection(a) + stirlingCorrection(b) - stirlingCorrection(sum);
}

// erfc(z) for z >= 1 (< 200 iterations there) by the Laplace continued fraction
//   erfc(z) = exp(-z^2)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))),
// evaluated with modified Lentz. expNegZ2 is passed in so the caller can form it from x
// without the rounding of z = x / sqrt 2 being squared.
function erfcContinuedFraction(z: number, expNegZ2: number): number {
  let f = z, c = z, d = 0;
  for (let k = 1; k < 5000; k++) {
    const a = k / 2;
    d = z + a * d;
    if (Math.abs(d) < TINY) d = TINY;
    d = 1 / d;
    c = z + a / c;
    if (Math.abs(c) < TINY) c = TINY;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return expNegZ2 * INV_SQRT_PI / f;
}

// erf(z) for 0 <= z < 1 by erf(z) = 2/sqrt(pi) exp(-z^2) sum_n 2^n z^(2n+1) / (2n+1)!!,
// whose terms are all positive (no cancellation, unlike the Taylor series of erf).
function erfSeries(z: number, expNegZ2: number): number {
  const z2 = 2 * z * z;
  let term = z, sum = z;
  for (let n = 1; n < 500; n++) {
    term *= z2 / (2 * n + 1);
    sum += term;
    if (term < sum * EPS) break;
  }
  return 2 * INV_SQRT_PI * expNegZ2 * sum;
}

export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const z = Math.abs(x) / Math.SQRT2;
  // exp(-x^2/2) with x = hi + lo, hi on a 1/16 grid so hi^2/2 is exact: rounding x^2 directly
  // would cost ~x^2/2 ulps of relative accuracy in the far tail (~1e-13 at x = -38).
  const hi = Math.trunc(x * 16) / 16, lo = x - hi;
  const expNegZ2 = Math.exp(-0.5 * hi * hi) * Math.exp(-lo * (hi + 0.5 * lo));
  if (z < 1) {
    const e = erfSeries(z, expNegZ2);
    return x < 0 ? 0.5 * (1 - e) : 0.5 * (1 + e);
  }
  // Tail computed directly so the lower tail keeps full relative accuracy.
  const tail = z === Infinity ? 0 : 0.5 * erfcContinuedFraction(z, expNegZ2);
  return x < 0 ? tail : 1 - tail;
}

// I_x(a, b) = x^a y^b / (a B(a, b) K), y = 1 - x, with the continued fraction
//   K = 1 + d1 / (1 + d2 / (1 + d3 / ...)),
//   d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),  d_{2m} = m (b-m) x / ((a+2m-1)(a+2m)),
// which converges fast for x < (a+1)/(a+b+2); callers use the symmetric form otherwise.
// We evaluate its odd contraction
//   K = (1 + d1) - d1 d2 / ((1 + d2 + d3) - d3 d4 / ((1 + d4 + d5) - ...))
// because for large a and x near 1 (Student-t with huge nu) every d_odd is ~ -1 and the plain
// Lentz recurrence cancels catastrophically (1e-4 relative error at nu = 1e12). The
// contraction only needs 1 + d_odd, which has a closed form in y free of that cancellation.
function betaContinuedFraction(x: number, y: number, a: number, b: number): number {
  const maxIter = 1000 + Math.ceil(20 * Math.sqrt(Math.max(a, b)));
  const dOdd = (m: number): number => -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
  const dEven = (m: number): number => m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
  const onePlusDOdd = (m: number): number => {
    const p = (a + 2 * m) * (a + 2 * m + 1), q = (a + m) * (a + b + m);
    // p - q x = (p - q) + q y with p - q expanded exactly; only worth it when y is the small one.
    const num = x < 0.5 ? p - q * x : a * (2 * m + 1 - b) + m * (3 * m + 2 - b) + q * y;
    return num / p;
  };
  let f = onePlusDOdd(0);
  if (Math.abs(f) < TINY) f = TINY;
  let c = f, d = 0;
  for (let m = 1; m <= maxIter; m++) {
    const num = -dOdd(m - 1) * dEven(m);
    const den = onePlusDOdd(m) + dEven(m);
    d = den + num * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = den + num / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) return f;
  }
  // A silently inaccurate reference would make sampler tests meaningless.
  throw new Error(`regularizedIncompleteBeta: continued fraction did not converge (a=${a}, b=${b}, x=${x})`);
}

// I_x(a, b) with y = 1 - x supplied separately, so callers that know y exactly (Student-t:
// y = t^2 / (nu + t^2)) avoid the cancellation in 1 - x near x = 1.
function incompleteBeta(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  // Take the log of whichever of x, y is nearer 0 directly and log1p of the other: with
  // a ~ 1e10, ln(1 - 1e-10) must be good to far more than the ulp of x = 0.9999999999.
  const logX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const logY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  const logFront = a * logX + b * logY - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    return Math.exp(logFront) / (a * betaContinuedFraction(x, y, a, b));
  }
  return 1 - Math.exp(logFront) / (b * betaContinuedFraction(y, x, b, a));
}

export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new RangeError(`regularizedIncompleteBeta: need finite a, b > 0, got a=${a}, b=${b}`);
  }
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return incompleteBeta(x, 1 - x, a, b);
}

export function studentTCdf(t: number, nu: number): number {
  if (!(nu > 0) || !Number.isFinite(nu)) {
    throw new RangeError(`studentTCdf: nu must be finite and > 0, got ${nu}`);
  }
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const t2 = t * t;
  // P(|T| > |t|) = I_{nu/(nu+t^2)}(nu/2, 1/2); halve it for one tail.
  const tail = 0.5 * incompleteBeta(nu / (nu + t2), t2 / (nu + t2), nu / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}
