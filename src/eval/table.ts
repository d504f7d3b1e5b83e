// The metric table as Markdown: one column per evaluated model, and the reference's two columns
// only where asked for (the reference study, whose models are the ones those figures measured).
import type { Evaluation } from './run_eval.ts';
import { REFERENCE } from './reference_numbers.ts';
import type { ModelScores } from './imputation.ts';

/** A row that is `factor(scores)` times another row, when the protocol makes it so (see below). */
export interface Rescaling {
  /** the label of the row this one rescales */
  of: string;
  factor: (s: ModelScores) => number;
  /** what the factor is, for the report */
  factorName: string;
}

/** label, the value from one model's scores, the reference's VAE and t-prior figures ('' if none),
 *  and, for a row that is an exact rescaling of another, which one */
export type Row = [string, (s: ModelScores) => number, string, string, Rescaling?];

const ref = (k: keyof typeof REFERENCE.random, m: 'random' | 'squares', p: 'gaussian' | 't') => REFERENCE[m][k][p].toFixed(4);

/** The table's rows, shared by the Markdown report and the page. */
export function scoreRows(maskNames: string[]): Row[] {
  const out: Row[] = [['clean reconstruction MSE', (s) => s.reconstructionMse, REFERENCE.reconstructionMse.gaussian.toFixed(4), REFERENCE.reconstructionMse.t.toFixed(4)]];
  maskNames.forEach((name, i) => {
    const m = i === 0 ? 'random' : 'squares';
    const s = (k: keyof ModelScores['masks'][number]) => (m: ModelScores) => m.masks[i][k] as number;
    // every imputer's output keeps the observed pixels bit for bit (imputeWith in masks.ts, used by
    // the plain imputation, pseudo-Gibbs and Metropolis-within-Gibbs alike), so its MSE over all
    // pixels is the missing fraction times its MSE on the missing ones: the same quantity, rescaled.
    // aggregateTable checks this on every run before it leaves such a row out of the tally.
    const rescales = (of: string): Rescaling => ({ of: `${name}: ${of}`, factor: (x) => x.masks[i].missingFraction, factorName: 'the missing fraction' });
    out.push(
      [`${name}: prediction MSE`, s('predictionMse'), ref('predictionMse', m, 'gaussian'), ref('predictionMse', m, 't')],
      [`${name}: imputation MSE`, s('imputationMse'), ref('imputationMse', m, 'gaussian'), ref('imputationMse', m, 't'), rescales('MSE on missing pixels')],
      [`${name}: prediction SSIM (global)`, s('predictionSsim'), ref('predictionSsim', m, 'gaussian'), ref('predictionSsim', m, 't')],
      [`${name}: imputation SSIM (global)`, s('imputationSsim'), ref('imputationSsim', m, 'gaussian'), ref('imputationSsim', m, 't')],
      [`${name}: MSE on missing pixels`, s('missingMse'), '', ''],
      [`${name}: prediction SSIM (7x7 windows)`, s('predictionSsimWindowed'), '', ''],
      [`${name}: imputation SSIM (7x7 windows)`, s('imputationSsimWindowed'), '', ''],
      [`${name}: pseudo-Gibbs imputation MSE`, s('gibbsImputationMse'), '', '', rescales('pseudo-Gibbs MSE on missing')],
      [`${name}: pseudo-Gibbs MSE on missing`, s('gibbsMissingMse'), '', ''],
      [`${name}: Metropolis-within-Gibbs imputation MSE`, s('mwgImputationMse'), '', '', rescales('Metropolis-within-Gibbs MSE on missing')],
      [`${name}: Metropolis-within-Gibbs MSE on missing`, s('mwgMissingMse'), '', ''],
    );
  });
  return out;
}

/** Every run's score per row; the reference's columns only with `reference` (the reference study). */
export function scoresTable(e: Evaluation, o: { reference?: boolean } = {}): string {
  const withRef = o.reference ?? false;
  const head = ['metric', ...e.runs.map((r) => `${r.run.name}, seed ${r.run.config.seed} (${r.run.epoch} ep.)`), ...(withRef ? ['reference VAE', 'reference t-prior'] : [])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const [label, get, refG, refT] of scoreRows(e.maskNames)) {
    lines.push(`| ${[label, ...e.runs.map((r) => get(r.scores).toFixed(4)), ...(withRef ? [refG, refT] : [])].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** One model's table as the page shows it: the header and each row's cells, the reference's two
 *  columns only with `reference` (a model the reference measured: measuredByReference). */
export function modelScoreCells(scores: ModelScores, maskNames: string[], o: { reference: boolean }): { head: string[]; rows: string[][] } {
  const head = ['metric', 'this model', ...(o.reference ? ['reference VAE', 'reference t-prior'] : [])];
  const rows = scoreRows(maskNames).map(([label, get, refG, refT]) => [label, get(scores).toFixed(4), ...(o.reference ? [refG, refT] : [])]);
  return { head, rows };
}
