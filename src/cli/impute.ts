// `npm run impute -- --data table.csv --out completed.csv [...]`: trains a VAE on an incomplete
// table and writes it completed (src/tables/impute_run.ts); --help lists the options.
import { imputeCommand, toImputeOptions } from './impute_options.ts';
import { imputeRun } from '../tables/impute_run.ts';
import type { HeldOutScore } from '../tables/impute_table.ts';
import { runMain } from './cli_main.ts';
import { installInterruptHandlers } from '../node/interrupts.ts';

const cmd = imputeCommand();

runMain(cmd, async () => {
  const opts = toImputeOptions(cmd.opts());
  installInterruptHandlers();
  const { result, outputs } = await imputeRun(opts, { log: (l) => console.log(l) });
  // the comparison imputers on the same held-out cells, when run (--pseudo-gibbs, --mwg)
  const others: [string, HeldOutScore[] | undefined][] = [['pseudo-Gibbs', result.heldOutPseudoGibbs], ['MwG', result.heldOutMwg]];
  for (const [i, h] of result.heldOut.entries()) {
    const also = others.flatMap(([name, s]) => (s ? [`${name} ${s[i].error.toFixed(3)}`] : []));
    console.log(`held-out ${h.column} (${h.type}, ${h.cells} cells): ${h.type === 'real' ? 'RMSE' : 'error rate'} ${h.error.toFixed(3)}${also.length ? ` (${also.join(', ')})` : ''}`);
  }
  if (result.mwgAcceptance !== undefined) console.log(`MwG acceptance: ${(100 * result.mwgAcceptance).toFixed(1)}%`);
  console.log(`wrote ${outputs.join(', ')}; run folder and report: ${opts.run}`);
});
