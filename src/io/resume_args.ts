// The one place that turns a run's recorded configuration back into `npm run train` arguments:
// every option that enters the run's resume key (src/train/run_key.ts) — model, prior, posterior,
// KL form, likelihood and variance, activation, network (the CNN's channels, kernel, stride,
// padding, slope, batch-norm momentum), conditioning, data, split, sizes, optimizer and seeds — so
// a printed or stored "continue with" line resumes any run, not only the reference's MLP. Pure (no
// node: imports): the page writes the same line into the config.json of its downloads.
import type { VaeConfig } from '../model/vae_gpu.ts';
import { DEFAULT_SIZES } from '../data/split.ts';
import { npmLine } from './shell_quote.ts';

export interface RecordedData {
  /** undefined: the embedded MNIST; else the --data value ('synthetic:NAME' or a folder) */
  source?: string;
  splitSeed: number;
  sizes: [number, number, number];
  /** the --limit and --valid-limit of the key (undefined: all, no flag) */
  trainImages?: number;
  validImages?: number;
}

/** The train arguments that rebuild this run's configuration and key, with --out and --epochs. */
export function trainArgs(c: VaeConfig, data: RecordedData, epochs: number, out: string): string[] {
  const n = (v: number) => String(v); // shortest round-tripping decimal: parses back to the same double
  const lik = c.likelihood ?? { kind: 'bernoulli' as const };
  const synthetic = data.source?.startsWith('synthetic:') ?? false;
  return [
    '--epochs', n(epochs),
    '--model', c.prior.kind === 't' ? 't' : 'gaussian',
    ...(c.prior.kind === 't' ? ['--nu', n(c.prior.nu)] : []),
    ...(c.multivariate ? ['--multivariate'] : []),
    '--posterior', c.posterior ?? 'diag',
    ...(c.kl ? ['--kl', c.kl] : []),
    '--likelihood', lik.kind,
    ...(lik.kind === 'gaussian' ? ['--variance', lik.variance === 'learned' ? 'learned' : n(lik.variance)] : []),
    ...(c.classes ? ['--conditional'] : []),
    ...(c.net?.kind === 'cnn'
      ? ['--net', 'cnn', '--channels', c.net.channels.join(','), '--kernel', n(c.net.kernel), '--stride', n(c.net.stride),
        '--pad', n(c.net.pad), '--slope', n(c.net.slope), '--bn-momentum', n(c.net.momentum)]
      : ['--net', 'mlp', '--activation', c.activation?.kind ?? 'relu',
        ...(c.activation?.kind === 'leaky-relu' ? ['--slope', n(c.activation.slope)] : [])]),
    ...(data.source !== undefined ? ['--data', data.source] : []),
    // a synthetic set has its own sizes (--split is refused there); the reference's need no flag
    ...(!synthetic && data.sizes.join() !== DEFAULT_SIZES.join() ? ['--split', data.sizes.join(',')] : []),
    '--hidden', c.shape.encoder.slice(1).join(','), '--latent', n(c.shape.latent),
    '--batch', n(c.batch), '--lr', n(c.optimizer.lr), '--optimizer', c.optimizer.kind,
    '--seed', n(c.seed), '--split-seed', n(data.splitSeed),
    ...(data.trainImages !== undefined ? ['--limit', n(data.trainImages)] : []),
    ...(data.validImages !== undefined ? ['--valid-limit', n(data.validImages)] : []),
    '--out', out,
  ];
}

/** The quoted shell line that continues the run in `out` up to `epochs`. */
export function resumeTrainLine(c: VaeConfig, data: RecordedData, epochs: number, out: string): string {
  return npmLine('train', [...trainArgs(c, data, epochs, out), '--resume']);
}
