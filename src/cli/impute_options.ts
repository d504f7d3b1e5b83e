// Command-line options of `npm run impute`, parsed by commander; every value is checked here,
// before the table is read or anything is written.
import { Command, InvalidArgumentError, Option } from 'commander';
import { extname } from 'node:path';
import { fail } from '../errors.ts';
import { numberArg, positiveIntArg, resolveUserPath, seedArg } from './arg_parsers.ts';
import { parseTypes } from '../tables/read_table.ts';
import type { ColumnType } from '../tables/table.ts';
import { MAX_IW } from '../tables/impute_table.ts';

export interface ImputeCliOptions {
  /** absolute paths */
  data: string;
  out: string;
  run: string;
  resume: boolean;
  types: Record<string, ColumnType>;
  na: string[];
  prior: 'gaussian' | 't';
  nu: number;
  multivariate: boolean;
  multiple: number;
  epochs: number;
  seed: number;
  K: number;
  /** training objective: the importance-weighted bound with this many draws per row (1: the ELBO) */
  iw: number;
  batch?: number;
  hidden: number[];
  latent?: number;
  lr: number;
  holdout: number;
  /** pseudo-Gibbs rounds scored on the held-out cells for comparison (0: not run) */
  pseudoGibbs: number;
  /** Metropolis-within-Gibbs iterations scored on the held-out cells for comparison (0: not run) */
  mwg: number;
}

const typesArg = (v: string) => {
  try {
    return parseTypes(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

const hiddenArg = (v: string): number[] => {
  const parts = v.split(',').map((p) => Number(p));
  if (parts.length === 0 || parts.some((n) => !Number.isInteger(n) || n < 1 || n > 4096)) throw new InvalidArgumentError(`--hidden must be widths 1..4096 separated by commas, got "${v}"`);
  return parts;
};

const fractionArg = (v: string): number => {
  const n = numberArg('--holdout')(v);
  if (!(n >= 0 && n < 0.5)) throw new InvalidArgumentError(`--holdout must be in [0, 0.5), got "${v}"`);
  return n;
};

export function imputeCommand(): Command {
  return new Command('impute')
    .description('train a VAE on an incomplete table (CSV or .npy) and write it completed; observed cells are kept byte for byte')
    .requiredOption('--data <file>', 'the table: .csv/.tsv/.txt (header row; delimiter detected) or .npy (2-D float, NaN = missing)')
    .requiredOption('--out <file>', 'the completed table to write (must not exist; .npy only for a .npy table)')
    .option('--run <dir>', 'run folder (config, history, checkpoint, report); default: <out>.run')
    .option('--resume', 'continue the run in --run from its last checkpoint', false)
    .option('--types <list>', 'column types overriding the detected ones: name:real|binary|categorical,...', typesArg, {})
    .option('--na <list>', 'more cell texts meaning "missing" (comma-separated; empty, NA, NaN, null and ? always are)', (v: string, prev: string[]) => [...prev, ...v.split(',')], [] as string[])
    .addOption(new Option('--prior <prior>', 'latent prior').choices(['gaussian', 't']).default('gaussian'))
    .option('--nu <nu>', 't prior: degrees of freedom', numberArg('--nu'), 5)
    .option('--multivariate', 't prior: one chi2 draw per latent vector', false)
    .option('--multiple <M>', 'also write M completed tables drawn by sampling-importance-resampling (<out>.imputation-1.csv, ...)', (v: string) => {
      const n = Number(v);
      if (!/^\d+$/.test(v) || n > 100) throw new InvalidArgumentError(`--multiple must be an integer in 0..100, got "${v}"`);
      return n;
    }, 0)
    .option('--epochs <n>', 'training epochs', positiveIntArg('--epochs'), 200)
    .option('--seed <s>', 'seed of the weights, the minibatch order, the noise and the held-out cells', seedArg('--seed'), 1)
    .option('--K <k>', 'importance samples per row for imputing', positiveIntArg('--K'), 100)
    .option('--iw <k>', `train on the importance-weighted bound (MIWAE) with this many draws per row, 1..${MAX_IW} (1: the ELBO)`, (v: string) => {
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < 1 || n > MAX_IW) throw new InvalidArgumentError(`--iw must be an integer in 1..${MAX_IW}, got "${v}"`);
      return n;
    }, 1)
    .option('--batch <n>', 'rows per minibatch (default min(64, rows))', positiveIntArg('--batch'))
    .option('--hidden <list>', 'hidden layer widths', hiddenArg, [128, 128])
    .option('--latent <n>', 'latent size (default columns - 1, within 2..10)', positiveIntArg('--latent'))
    .option('--lr <lr>', "Adam's learning rate", numberArg('--lr'), 1e-3)
    .option('--pseudo-gibbs <rounds>', 'also score pseudo-Gibbs imputation with this many rounds on the held-out cells, for comparison (0: no)', (v: string) => {
      const n = Number(v);
      if (!/^\d+$/.test(v) || n > 1000) throw new InvalidArgumentError(`--pseudo-gibbs must be an integer in 0..1000, got "${v}"`);
      return n;
    }, 10)
    .option('--mwg <iterations>', 'also score Metropolis-within-Gibbs imputation with this many iterations on the held-out cells, for comparison (0: no)', (v: string) => {
      const n = Number(v);
      if (!/^\d+$/.test(v) || n > 10000) throw new InvalidArgumentError(`--mwg must be an integer in 0..10000, got "${v}"`);
      return n;
    }, 0)
    .option('--holdout <f>', 'fraction of observed cells hidden during training and scored', fractionArg, 0.1)
    .exitOverride();
}

export function toImputeOptions(o: Record<string, unknown>): ImputeCliOptions {
  const out = resolveUserPath(String(o.out));
  const data = resolveUserPath(String(o.data));
  if (!(Number(o.nu) > 0)) fail(`--nu must be > 0, got ${String(o.nu)}`);
  if (!(Number(o.lr) > 0)) fail(`--lr must be > 0, got ${String(o.lr)}`);
  if (o.multivariate && o.prior !== 't') fail('--multivariate applies to the t prior only (add --prior t)');
  const run = o.run ? resolveUserPath(String(o.run)) : `${out.slice(0, out.length - extname(out).length)}.run`;
  return {
    data, out, run,
    resume: Boolean(o.resume),
    types: o.types as Record<string, ColumnType>,
    na: (o.na as string[]).map((s) => s.trim()).filter((s) => s !== ''),
    prior: o.prior as 'gaussian' | 't',
    nu: Number(o.nu),
    multivariate: Boolean(o.multivariate),
    multiple: Number(o.multiple),
    epochs: Number(o.epochs),
    seed: Number(o.seed),
    K: Number(o.K),
    iw: Number(o.iw),
    batch: o.batch === undefined ? undefined : Number(o.batch),
    hidden: o.hidden as number[],
    latent: o.latent === undefined ? undefined : Number(o.latent),
    lr: Number(o.lr),
    holdout: Number(o.holdout),
    pseudoGibbs: Number(o.pseudoGibbs),
    mwg: Number(o.mwg),
  };
}
