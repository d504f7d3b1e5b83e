// Float64 reference statistics for testing the GPU random samplers: goodness-of-fit helpers
// (Kolmogorov-Smirnov) and moments. The special functions (log-gamma, normal and Student-t CDFs)
// are production code's (src/stats/special.ts), re-exported here for the tests: no kernel computes
// them. Accuracy here must be far better than the f32 samplers so test failures mean bugs.

export { logGamma, normalCdf, regularizedIncompleteBeta, studentTCdf } from '../stats/special.ts';

export function ksStatistic(sample: ArrayLike<number>, cdf: (x: number) => number): number {
  const n = sample.length;
  if (n === 0) throw new RangeError('ksStatistic: empty sample');
  const sorted = Float64Array.from(sample).sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    // F_n jumps from i/n to (i+1)/n at sorted[i]; the sup is attained at one side of a step.
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

export function ksCriticalValue(n: number, alpha: number): number {
  if (!(n > 0)) throw new RangeError(`ksCriticalValue: n must be > 0, got ${n}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`ksCriticalValue: alpha must be in (0, 1), got ${alpha}`);
  return Math.sqrt(-0.5 * Math.log(alpha / 2)) / Math.sqrt(n);
}

export function mean(a: ArrayLike<number>): number {
  if (a.length === 0) throw new RangeError('mean: empty array');
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

// Two-pass (subtract the mean first) so large offsets do not destroy the variance.
export function variance(a: ArrayLike<number>): number {
  if (a.length < 2) throw new RangeError('variance: need at least 2 values');
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - m;
    s += d * d;
  }
  return s / (a.length - 1);
}

export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`correlation: length mismatch ${a.length} vs ${b.length}`);
  if (a.length < 2) throw new RangeError('correlation: need at least 2 pairs');
  const ma = mean(a), mb = mean(b);
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = a[i] - ma, db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}
