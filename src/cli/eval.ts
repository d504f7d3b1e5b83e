// `npm run eval -- --run runs/x [--run runs/y]`: the imputation table for trained runs.
import { Command } from 'commander';
import { evaluateRuns } from '../eval/run_eval.ts';
import { PROTOCOL } from '../eval/protocol.ts';
import { scoresTable } from '../eval/table.ts';
import { runMain } from './cli_main.ts';

const collect = (v: string, prev: string[]) => [...prev, v];

const cmd = new Command('eval')
  .description('Evaluate trained runs: reconstruction and missing-data imputation on the test set')
  .option('--run <dir>', 'a run folder written by npm run train (repeatable)', collect, [] as string[])
  .option('--test-limit <n>', 'evaluate on the first N test images', (v) => Number(v))
  .option('--draws <n>', 'decoder outputs averaged per prediction', (v) => Number(v), PROTOCOL.draws)
  .option('--gibbs-rounds <n>', 'pseudo-Gibbs rounds', (v) => Number(v), PROTOCOL.gibbsRounds)
  .option('--mask-seed <n>', 'seed of the masks', (v) => Number(v), PROTOCOL.maskSeed)
  .exitOverride();

runMain(cmd, async () => {
  const o = cmd.opts<{ run: string[]; testLimit?: number; draws: number; gibbsRounds: number; maskSeed: number }>();
  const e = await evaluateRuns(o.run, { testLimit: o.testLimit, draws: o.draws, gibbsRounds: o.gibbsRounds, maskSeed: o.maskSeed, samples: PROTOCOL.samples }, (l) => console.log(l));
  console.log(`\n${e.n} test images, adapter ${e.adapter}\n`);
  console.log(scoresTable(e));
});
