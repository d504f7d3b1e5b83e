// How much of the reference study fits a time budget, from the speed measured in a probe run's
// first epochs. The reference settings (SGD, batch 500, lr 0.005, 300 epochs, 55,000 / 5,000 /
// 10,000) are kept as long as one seed of both priors fits; then more seeds and more nu values are
// added while they fit. When even that does not fit, epochs go down first (the settings stay the
// reference's), then training images: each cut is named in `cuts` so the report says what was run.

export interface ProbeSpeed {
  /** seconds per training epoch per image (train + validation images counted alike) */
  epochSPerImage: number;
  /** seconds of one run's fixed cost: worker start, data load, run folder */
  runOverheadS: number;
  /** seconds of the imputation protocol per test image per model */
  evalSPerImage: number;
}

export interface StudyPlan {
  seeds: number;
  nus: number[];
  epochs: number;
  /** training images (55,000: all) */
  limit: number;
  testLimit: number;
  /** models trained: seeds x (1 Gaussian + one t per nu) */
  runs: number;
  predictedS: number;
  budgetS: number;
  /** what was cut from the reference study, in words */
  cuts: string[];
}

export const REFERENCE_STUDY = { epochs: 300, train: 55_000, valid: 5_000, test: 10_000, batch: 500 };
/** richest first: the first that fits at the reference's epochs and sizes is taken */
const LADDER: { seeds: number; nus: number[] }[] = [
  { seeds: 3, nus: [5, 21, 100] },
  { seeds: 3, nus: [21] },
  { seeds: 2, nus: [21] },
  { seeds: 1, nus: [21] },
];
/** the imputation protocol gets at most this share of the budget; test images shrink to fit */
const EVAL_SHARE = 0.25;
// a handful of images still runs every step of the protocol (a software adapter affords no more)
const MIN_TEST = 10;

function predict(p: ProbeSpeed, runs: number, epochs: number, limit: number, testLimit: number): number {
  const epochS = p.epochSPerImage * (limit + REFERENCE_STUDY.valid);
  return runs * (p.runOverheadS + epochs * epochS + p.evalSPerImage * testLimit);
}

export function planStudy(budgetS: number, p: ProbeSpeed): StudyPlan {
  if (!(budgetS > 0) || ![p.epochSPerImage, p.runOverheadS, p.evalSPerImage].every((v) => Number.isFinite(v) && v >= 0)) {
    throw new Error(`planStudy: needs a positive budget and finite speeds, got ${budgetS} s and ${JSON.stringify(p)}`);
  }
  const R = REFERENCE_STUDY;
  const testFor = (runs: number) => {
    const t = Math.floor((EVAL_SHARE * budgetS) / Math.max(runs * p.evalSPerImage, 1e-9));
    return Math.max(MIN_TEST, Math.min(R.test, t));
  };
  const make = (seeds: number, nus: number[], epochs: number, limit: number, cuts: string[]): StudyPlan => {
    const runs = seeds * (1 + nus.length);
    const testLimit = testFor(runs);
    const allCuts = [...cuts, ...(testLimit < R.test ? [`evaluated on ${testLimit} of ${R.test} test images`] : [])];
    return { seeds, nus, epochs, limit, testLimit, runs, predictedS: predict(p, runs, epochs, limit, testLimit), budgetS, cuts: allCuts };
  };
  for (const rung of LADDER) {
    const plan = make(rung.seeds, rung.nus, R.epochs, R.train, []);
    if (plan.predictedS <= budgetS) return plan;
  }
  // one seed of each prior at the reference's settings does not fit: fewer epochs, then fewer images
  const runs = 2;
  const testLimit = testFor(runs);
  const trainS = budgetS / runs - p.runOverheadS - p.evalSPerImage * testLimit;
  const fullEpochS = p.epochSPerImage * (R.train + R.valid);
  const epochs = Math.floor(trainS / fullEpochS);
  if (epochs >= 1) return make(1, [21], Math.min(R.epochs, epochs), R.train, [`${Math.min(R.epochs, epochs)} of ${R.epochs} epochs`]);
  // one epoch on fewer images: whole batches, at least one
  const images = Math.floor(Math.max(trainS, 0) / p.epochSPerImage) - R.valid;
  const limit = Math.max(R.batch, Math.floor(images / R.batch) * R.batch);
  return make(1, [21], 1, Math.min(R.train, limit), [`1 of ${R.epochs} epochs`, `${Math.min(R.train, limit)} of ${R.train} training images`]);
}

export function describePlan(s: StudyPlan): string {
  const models = ['Gaussian', ...s.nus.map((nu) => `t(nu=${nu})`)].join(' + ');
  return `${s.seeds} seed${s.seeds === 1 ? '' : 's'} x (${models}) = ${s.runs} models, SGD lr 0.005 batch 500, ${s.epochs} epochs on ${s.limit} training images, evaluated on ${s.testLimit} test images; predicted ${Math.round(s.predictedS)} s of ${Math.round(s.budgetS)} s${s.cuts.length ? `; cut from the reference study: ${s.cuts.join(', ')}` : ' (the reference settings in full)'}`;
}
