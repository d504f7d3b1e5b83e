// `npm run train -- [options]`: trains one VAE from the terminal through headless Chromium.
import { trainCommand, toTrainOptions } from './train_options.ts';
import { trainRun } from '../train/run.ts';
import { progressLine } from './progress.ts';
import { runMain } from './cli_main.ts';
import { installInterruptHandlers } from '../node/interrupts.ts';

const cmd = trainCommand();

runMain(cmd, async () => {
  const opts = toTrainOptions(cmd.opts());
  installInterruptHandlers(() => progressLine.clear());
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
});
