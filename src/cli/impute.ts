// `npm run impute -- --data table.csv --out completed.csv [...]`: trains a VAE on an incomplete
// table and writes it completed (src/tables/impute_run.ts); --help lists the options.
import { imputeCommand, toImputeOptions } from './impute_options.ts';
import { imputeRun } from '../tables/impute_run.ts';
import { runMain } from './cli_main.ts';
import { installInterruptHandlers } from '../node/interrupts.ts';

const cmd = imputeCommand();

runMain(cmd, async () => {
  const opts = toImputeOptions(cmd.opts());
  installInterruptHandlers();
  const { result, outputs } = await imputeRun(opts, { argv: process.argv.slice(2), log: (l) => console.log(l) });
  for (const h of result.heldOut) console.log(`held-out ${h.column} (${h.type}, ${h.cells} cells): ${h.type === 'real' ? 'RMSE' : 'error rate'} ${h.error.toFixed(3)}`);
  console.log(`wrote ${outputs.join(', ')}; run folder and report: ${opts.run}`);
});
