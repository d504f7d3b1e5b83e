// `npm start`: the main job. Trains the Gaussian VAE and the t-prior VAE with the reference
// settings on the default data (scaled down on a software adapter unless sizes are given),
// evaluates both with the imputation protocol and writes a report folder.
import { Command, CommanderError, Option } from 'commander';
import { join } from 'node:path';
import { TvaeError } from '../errors.ts';
import { toTrainOptions, trainCommand } from './train_options.ts';
import { trainRun, formatEpoch } from '../train/run.ts';
import { evaluateRuns } from '../eval/run_eval.ts';
import { scoresTable } from '../eval/table.ts';
import { writeReport } from '../report/write_report.ts';
import { renderLossCurves } from '../report/loss_curves.ts';

async function main(): Promise<number> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const cmd = new Command('start')
    .description('Train both VAEs, evaluate them and write a report')
    .option('--epochs <n>', 'epochs per model (reference 300)')
    .option('--limit <n>', 'train on the first N training images')
    .option('--test-limit <n>', 'evaluate on the first N test images', (v) => Number(v))
    .option('--nu <nu>', 'nu of the t prior', '21')
    .option('--seed <n>', 'training seed', '1')
    .option('--data <dir>', 'folder of IDX files instead of the embedded MNIST')
    .addOption(new Option('--out <dir>', 'report folder').default(`runs/report-${stamp}`))
    .exitOverride();
  try {
    cmd.parse(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const o = cmd.opts<{ epochs?: string; limit?: string; testLimit?: number; nu: string; seed: string; data?: string; out: string }>();
  const runDirs: string[] = [];
  for (const model of ['gaussian', 't']) {
    const args = ['--model', model, '--nu', o.nu, '--seed', o.seed, '--out', join(o.out, `${model}-seed${o.seed}`)];
    if (o.epochs) args.push('--epochs', o.epochs);
    if (o.limit) args.push('--limit', o.limit);
    if (o.data) args.push('--data', o.data);
    const t = trainCommand().parse(args, { from: 'user' });
    const opts = toTrainOptions(t.opts());
    console.log(`\n== training ${model === 't' ? `t-prior VAE (nu=${o.nu})` : 'Gaussian VAE'} -> ${opts.out}`);
    const { history } = await trainRun(opts, { log: (l) => console.log(l) });
    if (history.length === 0) console.log('no epochs trained');
    else console.log(`final: ${formatEpoch(history[history.length - 1], opts.epochs)}`);
    runDirs.push(opts.out);
  }
  console.log('\n== evaluating');
  const e = await evaluateRuns(runDirs, { testLimit: o.testLimit, draws: 30, gibbsRounds: 5, maskSeed: 2024, samples: 64 }, (l) => console.log(l));
  const lossCurvesPng = await renderLossCurves(e.runs.map((r) => ({ name: r.run.name, history: r.run.history })));
  const epochs = e.runs[0].run.epoch;
  const path = writeReport(o.out, e, {
    lossCurvesPng,
    notes: [`both models trained ${epochs} epochs with seed ${o.seed} (reference: 300 epochs)`, `run folders: ${runDirs.join(', ')}`],
  });
  console.log(`\n${scoresTable(e)}\n\nreport: ${path}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof TvaeError ? `error: ${e.message}` : e);
    process.exit(1);
  },
);
