// `npm run train -- [options]`: trains one VAE from the terminal through headless Chromium.
import { CommanderError } from 'commander';
import { TvaeError } from '../errors.ts';
import { trainCommand, toTrainOptions } from './train_options.ts';
import { trainRun } from '../train/run.ts';
import { progressLine } from './progress.ts';

async function main(): Promise<number> {
  const cmd = trainCommand();
  try {
    cmd.parse(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const opts = toTrainOptions(cmd.opts());
  const { out, history } = await trainRun(opts, {
    log: (l) => {
      progressLine.clear();
      console.log(l);
    },
    progress: (epoch, done, total) => progressLine.show(`epoch ${epoch}/${opts.epochs} ${progressLine.bar(done, total)} ${done}/${total} steps`),
  });
  progressLine.clear();
  const last = history.at(-1);
  console.log(`done: ${history.length} epochs in ${out}${last ? `, valid loss ${last.validLoss.toFixed(3)}` : ''}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof TvaeError ? `error: ${e.message}` : e);
    process.exit(1);
  },
);
