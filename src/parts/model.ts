// A model's parts, read from its configuration: the one function every builder (GPU model, float64
// model, run folders, evaluators) asks, so a saved configuration always rebuilds the same model.
import type { VaeConfig } from '../model/vae_gpu.ts';
import { paramLayout, type ParamLayout } from '../model/param_layout.ts';
import { layerShapes, outputWidth, type LayerShape } from '../model/shape.ts';
import { latentPart, type LatentPart } from './latent.ts';
import { likelihoodPart, type LikelihoodPart } from './likelihood.ts';
import { cnnPlan, type CnnPlan } from './network/cnn.ts';
import { fail } from '../errors.ts';

export type PartsConfig = Pick<VaeConfig, 'prior' | 'multivariate' | 'posterior' | 'kl' | 'likelihood' | 'classes' | 'activation' | 'net'>;

export function modelParts(config: PartsConfig): { latent: LatentPart; likelihood: LikelihoodPart } {
  return {
    latent: latentPart({ prior: config.prior, multivariate: config.multivariate, posterior: config.posterior, kl: config.kl }),
    likelihood: likelihoodPart(config.likelihood),
  };
}

export function modelLayers(config: PartsConfig & Pick<VaeConfig, 'shape'>): LayerShape[] {
  if (config.net) fail('modelLayers: the dense layers of an MLP were asked of a CNN model (use modelPlan)');
  return layerShapes(config.shape, modelParts(config).latent.headSize(config.shape.latent), config.classes ?? 0);
}

/** The CNN's layers and slots, for a CNN model (undefined for an MLP). */
export function modelPlan(config: PartsConfig & Pick<VaeConfig, 'shape'>): CnnPlan | undefined {
  if (!config.net) return undefined;
  if (config.net.kind !== 'cnn') fail(`unknown network kind ${JSON.stringify((config.net as { kind: unknown }).kind)}; known: cnn (or none: the MLP)`);
  if (config.classes) fail('a conditional CNN VAE is not built: use the MLP for a conditional model (drop --net cnn or the labels)');
  const L = config.shape.latent;
  return cnnPlan(config.net, config.shape.encoder[0], L, modelParts(config).latent.headSize(L));
}

export function modelLayout(config: PartsConfig & Pick<VaeConfig, 'shape'>): ParamLayout {
  const D = outputWidth(config.shape);
  const plan = modelPlan(config);
  const extra = modelParts(config).likelihood.extraParams(D);
  return paramLayout(plan ? plan.slots.map((s) => s.spec) : modelLayers(config), extra);
}

/** The importance-weighted bound (MIWAE) with K samples per row needs each KL row to be one draw's
 *  log q - log p (the t prior's always is; a Gaussian prior's with kl 'mc') and weighted gradients
 *  from the likelihood's own parameters (the table likelihood's): one clear error otherwise. */
export function checkIwObjective(config: PartsConfig, K: number): void {
  if (!Number.isInteger(K) || K < 1) fail(`--iw (importance samples per row in training) must be a positive integer, got ${K}`);
  if (config.likelihood?.kind !== 'table') fail('--iw: the importance-weighted bound is built for table models only');
  if (config.posterior === 'full') fail('--iw: the importance-weighted bound is built for the diagonal posterior, not the full-covariance one');
  if (config.prior.kind === 'gaussian' && config.kl !== 'mc') fail('--iw: with the Gaussian prior the importance-weighted bound needs the one-sample KL (kl "mc"), not the closed form');
}

/** One line naming the parts, for logs and reports. */
export function describeParts(config: PartsConfig): string {
  const p = modelParts(config);
  return `${config.net ? 'CNN, ' : ''}posterior ${p.latent.name}, decoder ${p.likelihood.name}`;
}
