// What must match for a run to be continued (`npm run train -- --resume`, or a run loaded into the
// page): the model configuration, the split seed, the training and validation sizes and the data
// source (the split sizes only when they are not the reference's, so that runs from before
// --split still resume). Pure, so the page writes the same key into its downloads as the CLI.
import type { VaeConfig } from '../model/vae_gpu.ts';
import { DEFAULT_SIZES } from '../data/split.ts';

/** The configuration with its keys in the order the CLI's vaeConfig() writes them: the key is
 *  JSON text, so the order is part of it. */
export function cliOrder(c: VaeConfig): VaeConfig {
  return {
    shape: { encoder: c.shape.encoder, latent: c.shape.latent, decoder: c.shape.decoder },
    prior: c.prior.kind === 't' ? { kind: 't', nu: c.prior.nu } : { kind: 'gaussian' },
    multivariate: c.multivariate,
    ...(c.posterior !== undefined && c.posterior !== 'diag' ? { posterior: c.posterior } : {}),
    ...(c.kl ? { kl: c.kl } : {}),
    ...(c.likelihood && c.likelihood.kind === 'gaussian' ? { likelihood: { kind: 'gaussian', variance: c.likelihood.variance } } : {}),
    ...(c.classes ? { classes: c.classes } : {}),
    ...(c.activation && c.activation.kind === 'leaky-relu' ? { activation: { kind: 'leaky-relu', slope: c.activation.slope } } : {}),
    ...(c.net ? { net: c.net } : {}),
    batch: c.batch,
    optimizer: c.optimizer,
    seed: c.seed,
  } as VaeConfig;
}

/** `data`: undefined for the embedded MNIST, else the --data value; `limit`: undefined for all. */
export function runKey(config: VaeConfig, splitSeed: number, limit: number | undefined, validLimit: number | undefined, data: string | undefined, sizes: [number, number, number]): string {
  const key: unknown[] = [cliOrder(config), splitSeed, limit, validLimit, data ?? null];
  if (sizes.join() !== DEFAULT_SIZES.join()) key.push(sizes);
  return JSON.stringify(key);
}
