// What every study run by name takes from `npm start` (each study adds its own options), and how
// a study trains one model: through its job when it has one (reused when finished, continued from
// its checkpoint when interrupted), else as a plain training run.
import type { Job } from '../cli/job.ts';
import { toTrainOptions, trainCommand } from '../cli/train_options.ts';
import { trainRun } from '../train/run.ts';
import type { EpochStats } from '../train/trainer.ts';

export interface StudyOptions {
  out: string;
  seeds?: number;
  /** epochs per model (default: the study's, scaled down on a software adapter) */
  epochs?: number;
  /** training items per model (default: the study's) */
  limit?: number;
  /** test items evaluated */
  testLimit?: number;
  /** Metropolis-within-Gibbs iterations per mask in the evaluation (default: the protocol's 150) */
  mwgIterations?: number;
  /** the job that owns --out (npm start); without one, every model is trained afresh */
  job?: Job;
}

export async function trainStudyModel(o: StudyOptions, args: string[], log: (l: string) => void): Promise<EpochStats[]> {
  if (o.job) return (await o.job.train(args, { log })).history;
  return (await trainRun(toTrainOptions(trainCommand().parse(args, { from: 'user' }).opts()), { log })).history;
}
