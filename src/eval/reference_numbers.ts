// The reference paper's table (Gaussian VAE / t-prior VAE), the figures this project reproduces.
export const REFERENCE = {
  reconstructionMse: { gaussian: 0.0179, t: 0.0182 },
  random: {
    predictionMse: { gaussian: 0.028, t: 0.0247 },
    imputationMse: { gaussian: 0.0091, t: 0.0081 },
    predictionSsim: { gaussian: 0.7676, t: 0.815 },
    imputationSsim: { gaussian: 0.9443, t: 0.9523 },
  },
  squares: {
    predictionMse: { gaussian: 0.0452, t: 0.0405 },
    imputationMse: { gaussian: 0.0244, t: 0.0222 },
    predictionSsim: { gaussian: 0.5746, t: 0.6506 },
    imputationSsim: { gaussian: 0.8247, t: 0.8469 },
  },
} as const;

/** What a run must be for the figures above to belong beside it. */
export interface ReferenceCandidate {
  shape: { encoder: number[]; latent: number; decoder: number[]; masked?: boolean };
  prior: { kind: string };
  posterior?: string;
  likelihood?: { kind: string };
  activation?: { kind: string };
  classes?: number;
  net?: unknown;
}

const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Whether the reference measured this model on this data: MNIST, the MLP 784-400-128 with latent
 *  10 and the mirrored decoder, ReLU, a diagonal Gaussian or Student-t prior, the Bernoulli decoder,
 *  unconditional. Only beside such a run do the reference's columns compare like with like (issue
 *  22 row 1: not beside Fashion-MNIST, a CNN, latent 3 or other widths). The CLI shows them in the
 *  reference study only, which trains these models; the page asks this of the model it evaluates. */
export function measuredByReference(config: ReferenceCandidate, data: string): boolean {
  const { shape } = config;
  return data === 'mnist'
    && !config.net && !config.classes && !shape.masked
    && same(shape.encoder, [784, 400, 128]) && shape.latent === 10 && same(shape.decoder, [128, 400, 784])
    && (config.prior.kind === 'gaussian' || config.prior.kind === 't')
    && (config.posterior ?? 'diag') === 'diag'
    && (config.likelihood?.kind ?? 'bernoulli') === 'bernoulli'
    && (config.activation?.kind ?? 'relu') === 'relu';
}
