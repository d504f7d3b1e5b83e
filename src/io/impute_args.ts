// The one place that turns an `npm run impute` run's recorded options (config.json's `options`,
// the parsed and checked ImputeCliOptions) back into its arguments, for the printed and stored
// `--resume` line. Rebuilt from the options, not echoed from argv: the line names the absolute
// paths the run used and every setting that shapes it, whatever the user typed. Each argument is
// shell-quoted (shell_quote.ts): a table called `x'; rm -rf ~ #.csv` or a --na marker `$(id)`
// stays one literal word. --types and --na use the `--flag=value` form, so a value that starts
// with a dash is never read as a flag. The map below has one entry per option, checked by the
// type: an option added to ImputeCliOptions does not compile until it says how it is written back.
import type { ImputeCliOptions } from '../cli/impute_options.ts';
import { fail } from '../errors.ts';
import { npmLine } from './shell_quote.ts';

const n = (v: number) => String(v); // shortest round-tripping decimal

const ARGS: { [K in keyof ImputeCliOptions]-?: (v: ImputeCliOptions[K]) => string[] } = {
  data: (v) => ['--data', v],
  out: (v) => ['--out', v],
  run: (v) => ['--run', v],
  resume: () => [], // the line adds it
  types: (v) => {
    const types = Object.entries(v);
    // --types is parsed as name:type,...: a name with a comma or edge spaces cannot be written back
    for (const [name] of types) if (name.includes(',') || name.trim() !== name || name === '') fail(`column name ${JSON.stringify(name)} cannot be written as a --types entry`);
    return types.length ? [`--types=${types.map(([name, type]) => `${name}:${type}`).join(',')}`] : [];
  },
  na: (v) => v.map((m) => (m.includes(',') || m.trim() !== m || m === '' ? fail(`missing marker ${JSON.stringify(m)} cannot be written as a --na value`) : `--na=${m}`)),
  prior: (v) => ['--prior', v],
  nu: (v) => ['--nu', n(v)],
  multivariate: (v) => (v ? ['--multivariate'] : []),
  multiple: (v) => ['--multiple', n(v)],
  iw: (v) => ['--iw', n(v)],
  epochs: (v) => ['--epochs', n(v)],
  seed: (v) => ['--seed', n(v)],
  K: (v) => ['--K', n(v)],
  batch: (v) => (v === undefined ? [] : ['--batch', n(v)]),
  hidden: (v) => ['--hidden', v.join(',')],
  latent: (v) => (v === undefined ? [] : ['--latent', n(v)]),
  lr: (v) => ['--lr', n(v)],
  holdout: (v) => ['--holdout', n(v)],
  pseudoGibbs: (v) => ['--pseudo-gibbs', n(v)],
  mwg: (v) => ['--mwg', n(v)],
};

/** The impute arguments that rebuild these options (without --resume). */
export function imputeArgs(o: ImputeCliOptions): string[] {
  return (Object.keys(ARGS) as (keyof ImputeCliOptions)[]).flatMap((k) => (ARGS[k] as (v: unknown) => string[])(o[k]));
}

/** The quoted shell line that continues the run. */
export function imputeResumeLine(o: ImputeCliOptions): string {
  return npmLine('impute', [...imputeArgs(o), '--resume']);
}
