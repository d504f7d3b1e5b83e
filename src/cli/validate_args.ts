// `npm start` checks every training run's options up front, before the adapter probe starts a
// browser: a bad --epochs or --hidden is one line naming the flag, not a failure runs later.
import { CommanderError } from 'commander';
import { TvaeError } from '../errors.ts';
import { toTrainOptions, trainCommand, type TrainOptions } from './train_options.ts';

/** Parses `npm run train` arguments; errors become one TvaeError line naming the flag. */
export function parseTrainArgs(args: string[]): TrainOptions {
  const cmd = trainCommand().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  try {
    return toTrainOptions(cmd.parse(args, { from: 'user' }).opts());
  } catch (e) {
    if (e instanceof CommanderError) throw new TvaeError(e.message.replace(/^error: /, ''));
    throw e;
  }
}
