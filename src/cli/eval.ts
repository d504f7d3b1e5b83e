// `npm run eval -- --run runs/x [--run runs/y]`: the imputation table for trained runs.
import { Command } from 'commander';
import { evaluateRuns } from '../eval/run_eval.ts';
import { PROTOCOL } from '../eval/protocol.ts';
import { scoresTable } from '../eval/table.ts';
import { runMain } from './cli_main.ts';
import { positiveIntArg, resolveUserPath, seedArg } from './arg_parsers.ts';

const collect = (v: string, prev: string[]) => [...prev, resolveUserPath(v)];

const cmd = new Command('eval')
  .description('Evaluate trained runs: reconstruction and missing-data imputation on the test set')
  .option('--run <dir>', 'a run folder written by npm run train (repeatable)', collect, [] as string[])
  .option('--test-limit <n>', 'evaluate on the first N test images', positiveIntArg('--test-limit'))
  .option('--draws <n>', 'decoder outputs averaged per prediction', positiveIntArg('--draws'), PROTOCOL.draws)
  .option('--gibbs-rounds <n>', 'pseudo-Gibbs rounds', positiveIntArg('--gibbs-rounds'), PROTOCOL.gibbsRounds)
  .option('--mask-seed <n>', 'seed of the masks (0..2^32-1)', seedArg('--mask-seed'), PROTOCOL.maskSeed)
  .exitOverride();

runMain(cmd, async () => {
  const o = cmd.opts<{ run: string[]; testLimit?: number; draws: number; gibbsRounds: number; maskSeed: number }>();
  const e = await evaluateRuns(o.run, { testLimit: o.testLimit, draws: o.draws, gibbsRounds: o.gibbsRounds, maskSeed: o.maskSeed, samples: PROTOCOL.samples }, (l) => console.log(l));
  console.log(`\n${e.n} test images, adapter ${e.adapter}\n`);
  console.log(scoresTable(e));
});
