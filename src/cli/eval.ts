// `npm run eval -- --run runs/x [--run runs/y]`: the imputation table for trained runs.
import { Command, CommanderError } from 'commander';
import { TvaeError } from '../errors.ts';
import { evaluateRuns } from '../eval/run_eval.ts';
import { scoresTable } from '../eval/table.ts';

const collect = (v: string, prev: string[]) => [...prev, v];

async function main(): Promise<number> {
  const cmd = new Command('eval')
    .description('Evaluate trained runs: reconstruction and missing-data imputation on the test set')
    .option('--run <dir>', 'a run folder written by npm run train (repeatable)', collect, [] as string[])
    .option('--test-limit <n>', 'evaluate on the first N test images', (v) => Number(v))
    .option('--draws <n>', 'decoder outputs averaged per prediction', (v) => Number(v), 30)
    .option('--gibbs-rounds <n>', 'pseudo-Gibbs rounds', (v) => Number(v), 5)
    .option('--mask-seed <n>', 'seed of the masks', (v) => Number(v), 2024)
    .exitOverride();
  try {
    cmd.parse(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const o = cmd.opts<{ run: string[]; testLimit?: number; draws: number; gibbsRounds: number; maskSeed: number }>();
  const e = await evaluateRuns(o.run, { testLimit: o.testLimit, draws: o.draws, gibbsRounds: o.gibbsRounds, maskSeed: o.maskSeed, samples: 64 }, (l) => console.log(l));
  console.log(`\n${e.n} test images, adapter ${e.adapter}\n`);
  console.log(scoresTable(e));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof TvaeError ? `error: ${e.message}` : e);
    process.exit(1);
  },
);
