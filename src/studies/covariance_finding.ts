// What the covariance study may conclude from its table: per set, Welch's test of full vs diagonal
// on the test -log p(x) over seeds, Holm-corrected across the sets; the deck's expectation (full
// covariance helps most on the rotated, non-isotropic set) holds only if full covariance is
// significantly better there, whatever the other sets' gains. Otherwise the text says what was found.
import { detectableEffect, holmAdjust, VERDICT_LEVEL, welchTest, type Summary } from '../eval/aggregate.ts';
import { TELLABLE_EFFECT_SD } from '../eval/verdict_table.ts';

export interface SetScores {
  set: string;
  /** -log p(x) over seeds, per posterior */
  diag: Summary;
  full: Summary;
}

export interface SetVerdict {
  set: string;
  /** diag - full: positive when full covariance is better (lower -log p(x)) */
  gain: number;
  verdict: 'better' | 'worse' | 'tie' | 'none';
  p?: number;
  holm?: number;
  /** the table cell */
  text: string;
}

const fmtP = (p: number) => (p < 0.001 ? '< 0.001' : `= ${p.toFixed(3)}`);

/** Per set: the gain and the Holm-corrected verdict of full vs diagonal. */
export function setVerdicts(sets: SetScores[]): SetVerdict[] {
  const raw = sets.map((s) => welchTest(s.full, s.diag)?.p);
  const tested = raw.map((p, i) => (p === undefined ? -1 : i)).filter((i) => i >= 0);
  const holm = new Array<number | undefined>(sets.length);
  holmAdjust(tested.map((i) => raw[i]!)).forEach((p, k) => (holm[tested[k]] = p));
  return sets.map((s, i) => {
    const gain = s.diag.mean - s.full.mean, p = raw[i], h = holm[i];
    if (p === undefined || h === undefined) return { set: s.set, gain, verdict: 'none', text: 'no verdict (1 seed)' };
    const verdict = !(h < VERDICT_LEVEL) ? 'tie' : gain > 0 ? 'better' : 'worse';
    const word = verdict === 'tie' ? 'no clear difference' : `full ${verdict}`;
    return { set: s.set, gain, verdict, p, holm: h, text: `${word} (p ${fmtP(p)}; Holm ${fmtP(h)})` };
  });
}

/** The report's paragraph on the deck's expectation, from the verdicts (not from the gains' order). */
export function covarianceFinding(v: SetVerdict[], seeds: number): string {
  const expect = 'The deck expects full covariance to help most on the non-isotropic (rotated) set.';
  const rot = v.find((x) => x.set === 'rotated');
  if (!rot) return `${expect} The rotated set was not run, so this run cannot check it.`;
  const others = v.filter((x) => x !== rot);
  const list = (k: SetVerdict['verdict']) => others.filter((x) => x.verdict === k).map((x) => `${x.set} (${x.gain.toFixed(3)} nats)`);
  const parts = [['significantly better', list('better')], ['significantly worse', list('worse')], ['not clearly different', list('tie')], ['without a verdict', list('none')]]
    .filter(([, l]) => l.length).map(([what, l]) => `${what} on ${(l as string[]).join(', ')}`);
  const elsewhere = parts.length ? ` Elsewhere full covariance is ${parts.join('; ')}.` : '';
  const gain = `${rot.gain >= 0 ? 'a gain' : 'a loss'} of ${Math.abs(rot.gain).toFixed(3)} nats in -log p(x)`;
  if (rot.verdict === 'none') return `${expect} With one seed per model there is no test of it: on rotated full covariance shows ${gain}.${elsewhere}`;
  const best = [...v].sort((a, b) => b.gain - a.gain)[0];
  const d = detectableEffect(seeds, seeds);
  const power = `With ${seeds} seeds a side, Welch's test (two-sided, ${VERDICT_LEVEL * 100}%, Holm-corrected across the ${v.filter((x) => x.verdict !== 'none').length} sets) finds a true difference 80% of the time only if it is at least ${d.toFixed(1)} seed standard deviations (the equal-variance t-test's figure; Welch and Holm need more).`;
  if (rot.verdict === 'better') {
    return `${expect} It holds in this run: full covariance is significantly better on rotated (${gain}, ${rot.text})${best.set === 'rotated' ? ', the largest gain of the sets' : `, though the largest gain is on ${best.set} (${best.gain.toFixed(3)} nats)`}.${elsewhere} ${power}`;
  }
  const found = rot.verdict === 'worse' ? `full covariance is significantly worse on rotated (${gain}, ${rot.text})` : `full covariance is not clearly different from diagonal on rotated (${gain}, ${rot.text})`;
  const tell = rot.verdict === 'tie' && d > TELLABLE_EFFECT_SD ? ': not enough seeds to tell' : '';
  return `${expect} This run does not show it: ${found}${tell}.${elsewhere} ${power}`;
}
