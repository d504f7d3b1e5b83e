// The one place that turns an `npm run impute` run's recorded options (config.json's `options`,
// the parsed and checked ImputeCliOptions) back into its arguments, for the printed and stored
// `--resume` line. Rebuilt from the options, not echoed from argv: the line names the absolute
// paths the run used and every setting that shapes it, whatever the user typed. Each argument is
// shell-quoted (shell_quote.ts): a table called `x'; rm -rf ~ #.csv` or a --na marker `$(id)`
// stays one literal word. --types and --na use the `--flag=value` form, so a value that starts
// with a dash is never read as a flag.
import type { ImputeCliOptions } from '../cli/impute_options.ts';
import { fail } from '../errors.ts';
import { npmLine } from './shell_quote.ts';

/** The impute arguments that rebuild these options (without --resume). */
export function imputeArgs(o: ImputeCliOptions): string[] {
  const n = (v: number) => String(v); // shortest round-tripping decimal
  const types = Object.entries(o.types);
  // --types is parsed as name:type,...: a name with a comma or edge spaces cannot be written back
  for (const [name] of types) if (name.includes(',') || name.trim() !== name || name === '') fail(`column name ${JSON.stringify(name)} cannot be written as a --types entry`);
  for (const v of o.na) if (v.includes(',') || v.trim() !== v || v === '') fail(`missing marker ${JSON.stringify(v)} cannot be written as a --na value`);
  return [
    '--data', o.data, '--out', o.out, '--run', o.run,
    ...(types.length ? [`--types=${types.map(([name, type]) => `${name}:${type}`).join(',')}`] : []),
    ...o.na.map((v) => `--na=${v}`),
    '--prior', o.prior, '--nu', n(o.nu), ...(o.multivariate ? ['--multivariate'] : []),
    '--epochs', n(o.epochs), '--seed', n(o.seed), '--K', n(o.K), '--multiple', n(o.multiple),
    ...(o.batch !== undefined ? ['--batch', n(o.batch)] : []),
    '--hidden', o.hidden.join(','), ...(o.latent !== undefined ? ['--latent', n(o.latent)] : []),
    '--lr', n(o.lr), '--holdout', n(o.holdout), '--pseudo-gibbs', n(o.pseudoGibbs), '--mwg', n(o.mwg),
  ];
}

/** The quoted shell line that continues the run. */
export function imputeResumeLine(o: ImputeCliOptions): string {
  return npmLine('impute', [...imputeArgs(o), '--resume']);
}
