// What a Welch test over n seeds a side can see: the difference of means, in seed standard
// deviations, that it detects at 80% power, two-sided at the verdict level. Normal-theory
// approximation with equal sds a side (df = 2n - 2): d = (t_{1-a/2} + t_{power}) * sqrt(2 / n).
// At 3 seeds a side this is about 3 sds: smaller true differences mostly read as "no clear difference".
import { tCritical, VERDICT_LEVEL } from '../../eval/aggregate.ts';

export const POWER = 0.8;

export function detectableEffect(n: number, level = VERDICT_LEVEL, power = POWER): number {
  if (n < 2) return Infinity;
  const df = 2 * n - 2;
  // tCritical is two-sided: the one-sided (power) quantile is its value at level 2 (1 - power)
  return (tCritical(df, level) + tCritical(df, 2 * (1 - power))) * Math.sqrt(2 / n);
}
