// The table over seeds (mean ± sd per model, a verdict column per t model) and its sentences.
// What a verdict may claim: each independent quantity is tested once (a row that is an exact
// rescaling of another is shown, with its raw p-value, but not tallied); the per-metric Welch
// p-values are Holm-corrected across the table's independent metrics, and the verdicts and tally
// use the corrected ones; every sentence says how large a difference the seeds could detect, and
// says "not enough seeds to tell" rather than "neither wins" when that is large.
import { detectableEffect, DETECT_POWER, holmAdjust, summarize, VERDICT_LEVEL, welchTest, type ModelGroup, type Summary, type Verdict } from './aggregate.ts';
import { REFERENCE } from './reference_numbers.ts';
import { scoreRows, type Row } from './table.ts';

/** Above this detectable effect (seed standard deviations) a table of ties says "not enough seeds
 *  to tell": two priors 2 seed-sds apart are far apart, and a test that misses them tells nothing. */
export const TELLABLE_EFFECT_SD = 2;

/** Relative gap within which a row counts as the rescaling its Row claims (float64 sums of the
 *  same float32 squares in another order differ by ~1e-15). */
const RESCALING_TOLERANCE = 1e-9;

const fmtP = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);
const higherIsBetter = (label: string) => label.includes('SSIM');
const fmt = (s: Summary) => (s.n > 1 ? `${s.mean.toFixed(4)} ± ${s.sd.toFixed(4)}` : s.mean.toFixed(4));

export interface Tally {
  name: string;
  better: number;
  worse: number;
  tie: number;
  none: number;
  /** seeds on the t model's side and on the Gaussian side */
  seeds: [number, number];
}

export interface AggregateTable {
  markdown: string;
  /** per t-prior model: how many independent metrics it wins, loses and ties (Holm-corrected) */
  tally: Tally[];
  /** the rows shown but not tallied, with what they rescale */
  rescaled: { label: string; of: string; factorName: string }[];
}

/** Does every run's value of `row` equal factor x its source row's value? Checked on the data, so
 *  a protocol change that breaks the identity brings the row back into the tally. */
function holdsOnEveryRun(row: Row, rows: Row[], groups: ModelGroup[]): boolean {
  const r = row[4];
  const source = r && rows.find((x) => x[0] === r.of);
  if (!r || !source) return false;
  return groups.every((g) => g.scores.every((s) => {
    const v = row[1](s), w = r.factor(s) * source[1](s);
    return Math.abs(v - w) <= RESCALING_TOLERANCE * Math.max(Math.abs(v), Math.abs(w));
  }));
}

/** Markdown: one column per model (mean ± sd over seeds), a verdict column per t model (raw and
 *  Holm p-values), and the reference's columns only with `reference` (the reference study). */
export function aggregateTable(groups: ModelGroup[], maskNames: string[], o: { reference?: boolean } = {}): AggregateTable {
  // the reference columns are the first document's MNIST numbers (784-400-128, latent 10): only
  // the reference study trains those models
  const withRef = o.reference ?? false;
  const gauss = groups.find((g) => g.name === 'Gaussian VAE');
  const others = groups.filter((g) => g !== gauss);
  const rows = scoreRows(maskNames);
  const derived = rows.map((row) => holdsOnEveryRun(row, rows, groups));
  const sums = rows.map(([, get]) => groups.map((g) => summarize(g.scores.map(get))));
  const head = ['metric', ...groups.map((g) => `${g.name} (${g.seeds.length} seed${g.seeds.length > 1 ? 's' : ''})`)];
  if (gauss) head.push(...others.map((g) => `${g.name} vs Gaussian`));
  if (withRef) head.push('reference VAE', 'reference t-prior');
  // per t model: raw Welch p per row, then Holm across the independent rows only
  const gi = gauss ? groups.indexOf(gauss) : -1;
  const perModel = others.map((g) => {
    const ti = groups.indexOf(g);
    const raw = rows.map((_, r) => welchTest(sums[r][ti], sums[r][gi])?.p);
    const independent = rows.map((_, r) => r).filter((r) => !derived[r] && raw[r] !== undefined);
    const adjusted = new Array<number | undefined>(rows.length);
    holmAdjust(independent.map((r) => raw[r]!)).forEach((p, k) => (adjusted[independent[k]] = p));
    return { ti, raw, adjusted };
  });
  const tally: Tally[] = others.map((g) => ({ name: g.name, better: 0, worse: 0, tie: 0, none: 0, seeds: [g.seeds.length, gauss?.seeds.length ?? 0] }));
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  rows.forEach(([label, , refG, refT, rescaling], r) => {
    const cells = sums[r].map(fmt);
    if (gauss) {
      perModel.forEach(({ ti, raw, adjusted }, i) => {
        const p = raw[r];
        if (p === undefined) {
          if (!derived[r]) tally[i].none++;
          cells.push('no verdict (1 seed)');
          return;
        }
        if (derived[r]) {
          cells.push(`not tallied: ${rescaling!.factorName} × "${rescaling!.of}" (${fmtP(p)})`);
          return;
        }
        const adj = adjusted[r]!;
        const v: Verdict = !(adj < VERDICT_LEVEL) ? 'tie' : (sums[r][ti].mean - sums[r][gi].mean) * (higherIsBetter(label) ? 1 : -1) > 0 ? 'better' : 'worse';
        tally[i][v]++;
        cells.push(`${v === 'tie' ? 'no clear difference' : `t-prior ${v}`} (${fmtP(p)}; Holm ${fmtP(adj).replace('p ', '')})`);
      });
    }
    lines.push(`| ${[label, ...cells, ...(withRef ? [refG, refT] : [])].join(' | ')} |`);
  });
  const rescaled = rows.flatMap(([label, , , , rs], r) => (derived[r] && rs ? [{ label, of: rs.of, factorName: rs.factorName }] : []));
  if (gauss && rescaled.length) {
    lines.push('', `Not tallied: ${rescaled.map((x) => `"${x.label}" is ${x.factorName} times "${x.of}"`).join('; ')} (every imputer keeps the observed pixels, so these are the same quantities rescaled, with the same p-values; checked on every run).`);
  }
  return { markdown: lines.join('\n'), tally: gauss ? tally : [], rescaled };
}

const sd = (x: number) => x.toFixed(1);

/** One sentence per t model: how it fared against the Gaussian VAE, what the seeds could detect,
 *  and what the reference claimed (or `claim`, attributed to whoever made it). */
export function verdictSentences(t: Tally[], o: { claim?: string } = {}): string[] {
  const claim = o.claim ?? `the reference reported the t prior ahead on every imputation metric (e.g. random-mask prediction MSE ${REFERENCE.random.predictionMse.t} vs ${REFERENCE.random.predictionMse.gaussian})`;
  return t.map((x) => {
    const [na, nb] = x.seeds;
    if (na < 2 || nb < 2) {
      return `${x.name} against the Gaussian VAE: no verdict is possible with one seed per model (no variance to test a difference against; run --seeds 2 or more); ${claim}.`;
    }
    const m = x.better + x.worse + x.tie;
    const d = detectableEffect(na, nb);
    const seeds = na === nb ? `${na} seeds a side` : `${na} and ${nb} seeds`;
    const basis = `${seeds}; Welch's t-test per metric, two-sided at the ${VERDICT_LEVEL * 100}% level, Holm-corrected across the ${m} independent metrics; raw and Holm p-values in the table`;
    const power = `with ${seeds} the test finds a true difference ${DETECT_POWER * 100}% of the time only if it is at least ${sd(d)} seed standard deviations (the equal-variance t-test's figure; Welch's test and the Holm correction need larger differences still)`;
    const few = d > TELLABLE_EFFECT_SD;
    const outcome = x.better + x.worse === 0
      ? few ? `not enough seeds to tell (the line is ${TELLABLE_EFFECT_SD} standard deviations)` : `neither prior wins: no metric differs, and differences of ${sd(d)} standard deviations or more would have shown`
      : `${x.better > x.worse ? 'the t prior wins more metrics' : x.worse > x.better ? 'the Gaussian prior wins more metrics' : 'as many metrics go each way'}${few && x.tie ? `; on the ${x.tie} without a verdict there are not enough seeds to tell` : ''}`;
    return `${x.name} against the Gaussian VAE (${basis}): better on ${x.better}, worse on ${x.worse}, no clear difference on ${x.tie}; ${power}: ${outcome}; ${claim}.`;
  });
}
