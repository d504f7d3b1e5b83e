// Command-line options of `npm run train`, parsed by commander and checked before anything runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import { fail } from '../errors.ts';
import { parseSyntheticName, SYNTHETIC, SYNTHETIC_NAMES } from '../data/synthetic.ts';
import type { Posterior } from '../parts/latent.ts';
import type { Likelihood } from '../parts/likelihood.ts';
import type { VaeShape } from '../model/shape.ts';
import type { SplitSpec } from '../data/split.ts';
import { defaultCnn, type CnnNet } from '../parts/network/cnn.ts';
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
  posterior: Posterior;
  /** Gaussian posteriors: the KL's form (undefined: closed) */
  kl?: 'closed' | 'mc';
  likelihood: Likelihood;
  /** conditional VAE: the label enters the encoder's and the decoder's inputs */
  conditional: boolean;
  /** hidden layers: ReLU, or LeakyReLU with this negative slope */
  activation: 'relu' | 'leaky-relu';
  slope: number;
  /** --net cnn: the convolutional network (its image size is set from the data when they load) */
  cnn?: CnnNet;
  /** which sizes were chosen (by the user or the main job's preset), so the software-adapter
   *  scale-down leaves them alone */
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
    .option('--epochs <n>', 'epochs (default: 300; synthetic data: the deck\'s 20-400 per set)', integer('--epochs'))
    .option('--batch <n>', 'minibatch size (default: 500; synthetic data: 32)', integer('--batch'))
    .option('--lr <lr>', 'learning rate (default: 0.005; synthetic data: 0.001)', number('--lr'))
    .addOption(new Option('--optimizer <kind>', 'sgd or adam (default: sgd; synthetic data: adam)').choices(['sgd', 'adam']))
    .option('--seed <n>', 'seed of weights, shuffling and noise (0..2^32-1)', seedArg('--seed'), 1)
    .option('--split-seed <n>', 'seed of the train/valid/test split (synthetic data: of the generator)', seedArg('--split-seed'), 0)
    .option('--split <sizes>', 'train,valid,test sizes or fractions of the pooled images (MNIST default 55000,5000,10000)', splitArg)
    .option('--out <dir>', 'run folder (default runs/<model>-seed<seed>)')
    .option('--limit <n>', 'train on the first N training images', integer('--limit'))
    .option('--valid-limit <n>', 'validate on the first N validation images', integer('--valid-limit'))
    .option('--data <dir>', `folder of IDX files (raw or .gz) instead of the embedded MNIST, or synthetic:${SYNTHETIC_NAMES.join('|')} (2-D sets)`)
    .addOption(new Option('--posterior <kind>', 'posterior covariance: diag or full (full: Gaussian prior only)').choices(['diag', 'full']).default('diag'))
    .addOption(new Option('--kl <form>', 'Gaussian posteriors: KL in closed form or as the one-sample estimate').choices(['closed', 'mc']))
    .addOption(new Option('--likelihood <kind>', 'decoder: bernoulli or gaussian (default: bernoulli; synthetic data: gaussian)').choices(['bernoulli', 'gaussian']))
    .addOption(new Option('--activation <kind>', 'hidden layers: relu (the reference) or leaky-relu').choices(['relu', 'leaky-relu']).default('relu'))
    .option('--slope <s>', 'LeakyReLU negative slope, in (0, 1) (default: 0.01; --net cnn: 0.3, Keras\' default)', number('--slope'))
    .addOption(new Option('--net <kind>', 'network: mlp (--hidden widths) or cnn (convs + batch norm + LeakyReLU, mirrored by transposed convs)').choices(['mlp', 'cnn']).default('mlp'))
    .option('--channels <list>', '--net cnn: output channels of the encoder\'s convs, multiples of 4 (default: 32,64,128)', (v: string) => v.split(',').map((x) => integer('--channels entries')(x)))
    .option('--kernel <k>', '--net cnn: square kernel size of every conv (default: 3)', integer('--kernel'))
    .option('--stride <s>', '--net cnn: stride of every conv, 1 or 2 (default: 2)', integer('--stride'))
    .option('--pad <p>', '--net cnn: zero padding of every conv (default: (kernel - 1) / 2, rounded down)', integer('--pad'))
    .option('--bn-momentum <m>', '--net cnn: batch-norm running-statistics momentum, PyTorch\'s convention (default: 0.1)', number('--bn-momentum'))
    .option('--conditional', 'conditional VAE (Kingma et al. 2014, M2): the one-hot label enters the encoder and the decoder (labelled image data only)', false)
    .option('--variance <s2>', 'Gaussian decoder variance: a number > 0 or "learned" (one log-variance per output; the default for synthetic data)')
    .option('--resume', 'continue the run in --out from its checkpoint', false)
    .option('--checkpoint-every <n>', 'epochs between checkpoints', integer('--checkpoint-every'), 10)
    .option('--hidden <widths>', 'encoder hidden widths, the decoder mirrors them (default: 400,128; synthetic data: 128,128)', widths)
    .option('--latent <n>', 'latent dimension (default: 10; synthetic data: 2)', integer('--latent'))
    .exitOverride();
}

/** The reference's settings, and those of the covariance lecture for its synthetic sets. */
const DEFAULTS = {
  images: { batch: 500, lr: 0.005, optimizer: 'sgd' as const, hidden: [400, 128], latent: 10, epochs: 300 },
  synthetic: { batch: 32, lr: 1e-3, optimizer: 'adam' as const, hidden: [128, 128], latent: 2 },
};

function likelihoodOf(kind: unknown, variance: unknown, synthetic: boolean): Likelihood {
  const k = (kind as string | undefined) ?? (synthetic ? 'gaussian' : 'bernoulli');
  if (k === 'bernoulli') {
    if (variance !== undefined) fail('--variance applies to --likelihood gaussian only');
    return { kind: 'bernoulli' };
  }
  if (variance === undefined) {
    if (synthetic) return { kind: 'gaussian', variance: 'learned' };
    fail('--likelihood gaussian on images needs --variance (a number > 0, e.g. 0.1, or "learned"): there is no natural default for pixel values');
  }
  if (variance === 'learned') return { kind: 'gaussian', variance: 'learned' };
  const v = Number(variance);
  if (String(variance).trim() === '' || !(v > 0) || !Number.isFinite(v)) fail(`--variance must be a number > 0 or "learned", got "${String(variance)}"`);
  return { kind: 'gaussian', variance: v };
}

export function toTrainOptions(o: Record<string, unknown>, inputDim = 784): TrainOptions {
  const synthetic = typeof o.data === 'string' ? parseSyntheticName(o.data) : undefined;
  const d = synthetic ? { ...DEFAULTS.synthetic, epochs: SYNTHETIC[synthetic].epochs } : DEFAULTS.images;
  const hidden = (o.hidden as number[] | undefined) ?? d.hidden;
  const latent = (o.latent as number | undefined) ?? d.latent;
  const dim = synthetic ? 2 : inputDim;
  const opts: TrainOptions = {
    model: o.model as 'gaussian' | 't',
    nu: o.nu as number,
    multivariate: Boolean(o.multivariate),
    epochs: (o.epochs as number | undefined) ?? d.epochs,
    batch: (o.batch as number | undefined) ?? d.batch,
    lr: (o.lr as number | undefined) ?? d.lr,
    optimizer: (o.optimizer as 'sgd' | 'adam' | undefined) ?? d.optimizer,
    seed: o.seed as number,
    splitSeed: o.splitSeed as number,
    split: o.split as SplitSpec | undefined,
    out: resolveUserPath((o.out as string | undefined) ?? `runs/${o.model as string}-seed${o.seed as number}`),
    limit: o.limit as number | undefined,
    validLimit: o.validLimit as number | undefined,
    // a folder is the user's, relative to where they ran the command; synthetic:NAME is a name
    data: o.data === undefined ? undefined : synthetic ? (o.data as string) : resolveUserPath(o.data as string),
    resume: Boolean(o.resume),
    checkpointEvery: o.checkpointEvery as number,
    shape: { encoder: [dim, ...hidden], latent, decoder: [...hidden].reverse().concat(dim) },
    posterior: (o.posterior as Posterior | undefined) ?? 'diag',
    kl: o.kl as 'closed' | 'mc' | undefined,
    likelihood: likelihoodOf(o.likelihood, o.variance, Boolean(synthetic)),
    conditional: Boolean(o.conditional),
    activation: (o.activation as 'relu' | 'leaky-relu' | undefined) ?? 'relu',
    slope: (o.slope as number | undefined) ?? (o.net === 'cnn' ? 0.3 : 0.01),
    cnn: o.net === 'cnn' ? cnnOf(o) : undefined,
    explicit: { epochs: o.epochs !== undefined, limit: o.limit !== undefined },
  };
  validateTrainOptions(opts);
  return opts;
}

function cnnOf(o: Record<string, unknown>): CnnNet {
  const base = defaultCnn();
  const kernel = (o.kernel as number | undefined) ?? base.kernel;
  return {
    ...base,
    channels: (o.channels as number[] | undefined) ?? base.channels,
    kernel,
    stride: (o.stride as number | undefined) ?? base.stride,
    pad: (o.pad as number | undefined) ?? Math.floor((kernel - 1) / 2),
    slope: (o.slope as number | undefined) ?? base.slope,
    momentum: (o.bnMomentum as number | undefined) ?? base.momentum,
  };
}

export function validateTrainOptions(o: TrainOptions): void {
  if (o.cnn) {
    if (o.conditional) fail('--conditional is built for the MLP only; drop --net cnn or --conditional');
    if (o.data?.startsWith('synthetic:')) fail(`--net cnn needs images; --data ${o.data} is a set of 2-D points`);
    if (o.activation !== 'relu') fail('--activation applies to the MLP; the CNN always uses LeakyReLU (set its slope with --slope)');
    if (!(o.cnn.slope >= 0 && o.cnn.slope < 1)) fail(`--slope must be in [0, 1), got ${o.cnn.slope}`);
    if (!(o.cnn.momentum >= 0 && o.cnn.momentum <= 1)) fail(`--bn-momentum must be in [0, 1], got ${o.cnn.momentum}`);
    o.cnn.channels.forEach((c) => { if (!(c >= 4 && c % 4 === 0)) fail(`--channels entries must be positive multiples of 4, got ${c}`); });
    if (!(o.cnn.kernel >= 1)) fail(`--kernel must be at least 1, got ${o.cnn.kernel}`);
    if (o.cnn.stride !== 1 && o.cnn.stride !== 2) fail(`--stride must be 1 or 2, got ${o.cnn.stride}`);
    if (!(o.cnn.pad >= 0 && o.cnn.pad < o.cnn.kernel)) fail(`--pad must be in 0..${o.cnn.kernel - 1} for --kernel ${o.cnn.kernel}, got ${o.cnn.pad}`);
  }
  if (!(o.nu > 0)) fail(`--nu must be > 0, got ${o.nu}`);
  if (o.multivariate && o.model !== 't') fail('--multivariate applies to --model t only');
  if (o.posterior === 'full' && o.model !== 'gaussian') fail('--posterior full needs --model gaussian (a full-covariance posterior is Gaussian, with the N(0, I) prior)');
  if (o.activation === 'leaky-relu' && !(o.slope > 0 && o.slope < 1)) fail(`--slope must be in (0, 1), got ${o.slope}`);
  if (o.conditional && o.data?.startsWith('synthetic:')) fail(`--conditional needs labelled images; --data ${o.data} has no labels`);
  if (o.kl !== undefined && o.model !== 'gaussian') fail('--kl applies to Gaussian posteriors only (the t prior\'s KL is always the one-sample estimate)');
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
