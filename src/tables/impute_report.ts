// The short report of `npm run impute` (report.md in the run folder): the table's columns with
// their detected types and observed fractions, the training curve, and the held-out error of the
// VAE next to mean/mode imputation on the same hidden cells.
import { basename } from 'node:path';
import type { ImputeCliOptions } from '../cli/impute_options.ts';
import type { HeldOutScore, ImputeResult } from './impute_table.ts';
import type { TableData } from './table.ts';

export interface ReportInput {
  table: TableData;
  result: ImputeResult;
  baseline: HeldOutScore[];
  options: ImputeCliOptions;
  seconds: number;
  adapter: string;
  outputs: string[];
}

const f3 = (v: number) => v.toFixed(3);
const objective = (iw: number) => (iw > 1 ? `trained on the importance-weighted bound, MIWAE, with --iw ${iw} draws per row` : 'trained on the ELBO');

export function tableReport(r: ReportInput): string {
  const { table: t, result, options: o } = r;
  const prior = o.prior === 't' ? `t (nu = ${o.nu}${o.multivariate ? ', multivariate' : ''})` : 'Gaussian';
  const lines = [
    `# Imputation of ${basename(o.data)}`,
    '',
    `${t.rows} rows, ${t.columns.length} columns; ${prior} prior, MLP ${result.config.shape.encoder.join('-')} -> latent ${result.config.shape.latent}, ` +
      `${o.epochs} epochs (Adam lr ${o.lr}, batch ${result.config.batch}, seed ${o.seed}; ${objective(o.iw)}), K = ${o.K} importance samples per row ` +
      `(mean effective sample size ${result.meanEss.toFixed(1)}); ${r.seconds.toFixed(1)} s on ${r.adapter}.`,
    '',
    `Completed table: ${r.outputs.map((p) => basename(p)).join(', ')} (observed cells as in the input, byte for byte).`,
    '',
    '## Columns',
    '',
    '| column | type | observed | levels / mean ± sd |',
    '|---|---|---|---|',
    ...t.columns.map((c) => `| ${c.name} | ${c.type} | ${c.observed}/${t.rows} (${((100 * c.observed) / t.rows).toFixed(1)}%) | ${c.type === 'real' ? `${c.mean.toPrecision(4)} ± ${c.sd.toPrecision(4)}` : c.levels.slice(0, 8).join(', ') + (c.levels.length > 8 ? ', ...' : '')} |`),
    '',
    `## Held-out error (${(100 * o.holdout).toFixed(0)}% of the observed cells hidden during training)`,
    '',
    'Real columns: RMSE in standardised units (1.0 is the spread of the column); binary and categorical columns: error rate.',
    '',
    `VAE: the importance-weighted conditional mean (mode), K = ${o.K}${result.heldOutPseudoGibbs ? `; pseudo-Gibbs (${o.pseudoGibbs} rounds, the same model) for comparison` : ''}` +
      `${result.heldOutMwg ? `; Metropolis-within-Gibbs (${o.mwg} iterations, the average of the last ${Math.ceil(o.mwg / 2)}, the same model; acceptance ${(100 * (result.mwgAcceptance ?? 0)).toFixed(1)}%) for comparison` : ''}.`,
    '',
    `| column | type | hidden cells | VAE |${result.heldOutPseudoGibbs ? ' pseudo-Gibbs |' : ''}${result.heldOutMwg ? ' MwG |' : ''} mean/mode |`,
    `|---|---|---|---|${result.heldOutPseudoGibbs ? '---|' : ''}${result.heldOutMwg ? '---|' : ''}---|`,
    ...result.heldOut.map((h, i) => `| ${h.column} | ${h.type} | ${h.cells} | ${f3(h.error)} |${result.heldOutPseudoGibbs ? ` ${f3(result.heldOutPseudoGibbs[i].error)} |` : ''}${result.heldOutMwg ? ` ${f3(result.heldOutMwg[i].error)} |` : ''} ${f3(r.baseline[i].error)} |`),
    '',
    '## Training curve',
    '',
    `${o.iw > 1 ? `The importance-weighted bound (-log of the mean of ${o.iw} importance weights)` : 'Negative ELBO'} per row over the observed cells (training: cells not held out; "all rows": the same rows in evaluation mode). Every epoch is in history.csv.`,
    '',
    '| epoch | train | all rows |',
    '|---|---|---|',
    ...sampleEpochs(result.history.length).map((i) => {
      const s = result.history[i];
      return `| ${s.epoch} | ${f3(s.trainLoss)} | ${f3(s.validLoss)} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

/** About 10 epochs spread over the run, the first and the last included. */
function sampleEpochs(n: number): number[] {
  if (n === 0) return [];
  const step = Math.max(1, Math.round(n / 10));
  const out = new Set<number>([0]);
  for (let i = step - 1; i < n; i += step) out.add(i);
  out.add(n - 1);
  return [...out].sort((a, b) => a - b);
}
