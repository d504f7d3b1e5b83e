// Command-line options of `npm run train`, parsed by commander and checked before anything runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import { fail } from '../errors.ts';
import type { VaeShape } from '../ref/vae.ts';
import type { SplitSpec } from '../data/split.ts';
import { MAX_SEED, resolveUserPath, seedArg, splitArg } from './arg_parsers.ts';

export interface TrainOptions {
  model: 'gaussian' | 't';
  nu: number;
  multivariate: boolean;
  epochs: number;
  batch: number;
  lr: number;
  optimizer: 'sgd' | 'adam';
  seed: number;
  splitSeed: number;
  /** train/valid/test sizes or fractions (undefined: the reference's, see resolveSplitSizes) */
  split?: SplitSpec;
  /** absolute: resolved against the user's working directory */
  out: string;
  /** train on the first N training images (undefined: all) */
  limit?: number;
  validLimit?: number;
  /** absolute, like out */
  data?: string;
  resume: boolean;
  checkpointEvery: number;
  shape: VaeShape;
  /** which sizes the user set, so the software-adapter scale-down leaves them alone */
  explicit: { epochs: boolean; limit: boolean };
}

const number = (what: string) => (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${what} must be a number, got "${v}"`);
  return n;
};

const integer = (what: string) => (v: string): number => {
  const n = number(what)(v);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${what} must be an integer, got "${v}"`);
  return n;
};

const widths = (v: string): number[] => v.split(',').map((s) => integer('--hidden entries')(s));

export function trainCommand(): Command {
  return new Command('train')
    .description('Train a Gaussian or Student-t-prior VAE on the GPU (headless Chromium + WebGPU)')
    .addOption(new Option('--model <kind>', 'gaussian or t (Student-t prior)').choices(['gaussian', 't']).default('gaussian'))
    .option('--nu <nu>', 'degrees of freedom of the t prior (> 0)', number('--nu'), 21)
    .option('--multivariate', 'multivariate t noise: one chi2 draw per latent vector', false)
    .option('--epochs <n>', 'epochs (reference: 300)', integer('--epochs'))
    .option('--batch <n>', 'minibatch size', integer('--batch'), 500)
    .option('--lr <lr>', 'learning rate', number('--lr'), 0.005)
    .addOption(new Option('--optimizer <kind>', 'sgd or adam').choices(['sgd', 'adam']).default('sgd'))
    .option('--seed <n>', 'seed of weights, shuffling and noise (0..2^32-1)', seedArg('--seed'), 1)
    .option('--split-seed <n>', 'seed of the train/valid/test split', seedArg('--split-seed'), 0)
    .option('--split <sizes>', 'train,valid,test sizes or fractions of the pooled images (MNIST default 55000,5000,10000)', splitArg)
    .option('--out <dir>', 'run folder (default runs/<model>-seed<seed>)')
    .option('--limit <n>', 'train on the first N training images', integer('--limit'))
    .option('--valid-limit <n>', 'validate on the first N validation images', integer('--valid-limit'))
    .option('--data <dir>', 'folder of IDX files (raw or .gz) instead of the embedded MNIST')
    .option('--resume', 'continue the run in --out from its checkpoint', false)
    .option('--checkpoint-every <n>', 'epochs between checkpoints', integer('--checkpoint-every'), 10)
    .option('--hidden <widths>', 'encoder hidden widths (decoder mirrors them)', widths, [400, 128])
    .option('--latent <n>', 'latent dimension', integer('--latent'), 10)
    .exitOverride();
}

export function toTrainOptions(o: Record<string, unknown>, inputDim = 784): TrainOptions {
  const hidden = o.hidden as number[];
  const latent = o.latent as number;
  const opts: TrainOptions = {
    model: o.model as 'gaussian' | 't',
    nu: o.nu as number,
    multivariate: Boolean(o.multivariate),
    epochs: (o.epochs as number | undefined) ?? 300,
    batch: o.batch as number,
    lr: o.lr as number,
    optimizer: o.optimizer as 'sgd' | 'adam',
    seed: o.seed as number,
    splitSeed: o.splitSeed as number,
    split: o.split as SplitSpec | undefined,
    out: resolveUserPath((o.out as string | undefined) ?? `runs/${o.model as string}-seed${o.seed as number}`),
    limit: o.limit as number | undefined,
    validLimit: o.validLimit as number | undefined,
    data: o.data === undefined ? undefined : resolveUserPath(o.data as string),
    resume: Boolean(o.resume),
    checkpointEvery: o.checkpointEvery as number,
    shape: { encoder: [inputDim, ...hidden], latent, decoder: [...hidden].reverse().concat(inputDim) },
    explicit: { epochs: o.epochs !== undefined, limit: o.limit !== undefined },
  };
  validateTrainOptions(opts);
  return opts;
}

export function validateTrainOptions(o: TrainOptions): void {
  if (!(o.nu > 0)) fail(`--nu must be > 0, got ${o.nu}`);
  if (o.multivariate && o.model !== 't') fail('--multivariate applies to --model t only');
  if (o.epochs < 1) fail(`--epochs must be at least 1, got ${o.epochs}`);
  if (o.batch < 1) fail(`--batch must be at least 1, got ${o.batch}`);
  if (!(o.lr > 0)) fail(`--lr must be > 0, got ${o.lr}`);
  for (const [flag, v] of [['--seed', o.seed], ['--split-seed', o.splitSeed]] as const) {
    if (!Number.isSafeInteger(v) || v < 0 || v > MAX_SEED) fail(`${flag} must be an integer in 0..${MAX_SEED} (seeds are 32-bit), got ${v}`);
  }
  if (o.limit !== undefined && o.limit < 1) fail(`--limit must be at least 1, got ${o.limit}`);
  if (o.validLimit !== undefined && o.validLimit < 1) fail(`--valid-limit must be at least 1, got ${o.validLimit}`);
  if (o.checkpointEvery < 1) fail(`--checkpoint-every must be at least 1, got ${o.checkpointEvery}`);
  if (o.shape.latent < 1) fail(`--latent must be at least 1, got ${o.shape.latent}`);
  for (const w of o.shape.encoder) if (w < 1) fail(`--hidden widths must be at least 1, got ${w}`);
}
