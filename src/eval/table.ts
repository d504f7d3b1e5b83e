// The metric table as Markdown: one column per evaluated model, then the reference's two columns.
import type { Evaluation } from './run_eval.ts';
import { REFERENCE } from './reference_numbers.ts';
import type { ModelScores } from './imputation.ts';

/** label, the value from one model's scores, the reference's VAE and t-prior figures ('' if none) */
export type Row = [string, (s: ModelScores) => number, string, string];

const ref = (k: keyof typeof REFERENCE.random, m: 'random' | 'squares', p: 'gaussian' | 't') => REFERENCE[m][k][p].toFixed(4);

/** The table's rows, shared by the Markdown report and the page. */
export function scoreRows(maskNames: string[]): Row[] {
  const out: Row[] = [['clean reconstruction MSE', (s) => s.reconstructionMse, REFERENCE.reconstructionMse.gaussian.toFixed(4), REFERENCE.reconstructionMse.t.toFixed(4)]];
  maskNames.forEach((name, i) => {
    const m = i === 0 ? 'random' : 'squares';
    const s = (k: keyof ModelScores['masks'][number]) => (m: ModelScores) => m.masks[i][k] as number;
    out.push(
      [`${name}: prediction MSE`, s('predictionMse'), ref('predictionMse', m, 'gaussian'), ref('predictionMse', m, 't')],
      [`${name}: imputation MSE`, s('imputationMse'), ref('imputationMse', m, 'gaussian'), ref('imputationMse', m, 't')],
      [`${name}: prediction SSIM (global)`, s('predictionSsim'), ref('predictionSsim', m, 'gaussian'), ref('predictionSsim', m, 't')],
      [`${name}: imputation SSIM (global)`, s('imputationSsim'), ref('imputationSsim', m, 'gaussian'), ref('imputationSsim', m, 't')],
      [`${name}: MSE on missing pixels`, s('missingMse'), '', ''],
      [`${name}: prediction SSIM (7x7 windows)`, s('predictionSsimWindowed'), '', ''],
      [`${name}: imputation SSIM (7x7 windows)`, s('imputationSsimWindowed'), '', ''],
      [`${name}: pseudo-Gibbs imputation MSE`, s('gibbsImputationMse'), '', ''],
      [`${name}: pseudo-Gibbs MSE on missing`, s('gibbsMissingMse'), '', ''],
      [`${name}: Metropolis-within-Gibbs imputation MSE`, s('mwgImputationMse'), '', ''],
      [`${name}: Metropolis-within-Gibbs MSE on missing`, s('mwgMissingMse'), '', ''],
    );
  });
  return out;
}

export function scoresTable(e: Evaluation): string {
  const head = ['metric', ...e.runs.map((r) => `${r.run.name}, seed ${r.run.config.seed} (${r.run.epoch} ep.)`), 'reference VAE', 'reference t-prior'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const [label, get, refG, refT] of scoreRows(e.maskNames)) {
    lines.push(`| ${label} | ${e.runs.map((r) => get(r.scores).toFixed(4)).join(' | ')} | ${refG} | ${refT} |`);
  }
  return lines.join('\n');
}
