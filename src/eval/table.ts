// The metric table as Markdown: one column per evaluated model, then the reference's two columns.
import type { Evaluation } from './run_eval.ts';
import { REFERENCE } from './reference_numbers.ts';

type Row = [string, (e: Evaluation['runs'][number]) => number, string, string];

const ref = (k: keyof typeof REFERENCE.random, m: 'random' | 'squares', p: 'gaussian' | 't') => REFERENCE[m][k][p].toFixed(4);

function rows(maskNames: string[]): Row[] {
  const out: Row[] = [['clean reconstruction MSE', (r) => r.scores.reconstructionMse, REFERENCE.reconstructionMse.gaussian.toFixed(4), REFERENCE.reconstructionMse.t.toFixed(4)]];
  maskNames.forEach((name, i) => {
    const m = i === 0 ? 'random' : 'squares';
    const s = (k: keyof Evaluation['runs'][number]['scores']['masks'][number]) => (r: Evaluation['runs'][number]) => r.scores.masks[i][k] as number;
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
    );
  });
  return out;
}

export function scoresTable(e: Evaluation): string {
  const head = ['metric', ...e.runs.map((r) => `${r.run.name} (${r.run.epoch} ep.)`), 'reference VAE', 'reference t-prior'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const [label, get, refG, refT] of rows(e.maskNames)) {
    lines.push(`| ${label} | ${e.runs.map((r) => get(r).toFixed(4)).join(' | ')} | ${refG} | ${refT} |`);
  }
  return lines.join('\n');
}
