// A VAE on the GPU: its buffers, and the dispatches of one training step, all built once.
// A VAE is a choice of parts (src/parts/): the network (the MLP, parts/network/mlp_gpu.ts, or the
// CNN, cnn_gpu.ts), a latent part (posterior + prior: its
// sampling + KL kernel, its noise and its encoder head) and a likelihood part (the decoder's loss
// kernel and any parameters of its own). Buffers (B = batch, L = latent, H = the latent part's head):
//   x (B, D) input; acts[i] encoder activations; h (B, H) = [mu | logvar | ...]; eps (1, B*L);
//   z (B, L); dacts[i] decoder activations, the last being the decoder output (B, D): logits or
//   means, as the likelihood says; d* their gradients.
import { fail, requirePositiveInt } from '../errors.ts';
import type { Dispatch, GpuContext } from '../gpu/context.ts';
import { allocMatrix, createBuffer, type GpuMatrix } from '../gpu/matrix.ts';
import { createOptimizer, type OptimizerConfig } from '../kernels/optim.ts';
import { validatePrior, type Prior } from '../kernels/reparam.ts';
import { sampleEps } from '../kernels/sampler.ts';
import type { Posterior } from '../parts/latent.ts';
import type { Activation } from '../parts/activation.ts';
import type { Likelihood } from '../parts/likelihood.ts';
import { activationSlope } from '../parts/activation.ts';
import { checkIwObjective, modelLayers, modelLayout, modelParts, modelPlan } from '../parts/model.ts';
import { iwWeights } from '../kernels/iw_weights.ts';
import type { CnnNet } from '../parts/network/cnn.ts';
import { buildCnnNetwork, checkCnnFit, type NetworkDispatches } from '../parts/network/cnn_gpu.ts';
import { buildMlpNetwork } from '../parts/network/mlp_gpu.ts';
import { createTrainState } from '../kernels/train_state.ts';
import { validateShape, type VaeShape } from './shape.ts';
import { extraView, layerViews, type ParamLayout } from './param_layout.ts';

export interface VaeConfig {
  shape: VaeShape;
  prior: Prior;
  /** t prior only: one chi2 draw per latent vector instead of one per coordinate */
  multivariate?: boolean;
  /** posterior covariance: diagonal (default) or full (Gaussian prior only) */
  posterior?: Posterior;
  /** Gaussian posteriors: KL in closed form (default) or the one-sample log q - log p */
  kl?: 'closed' | 'mc';
  /** the decoder's likelihood: Bernoulli (default) or Gaussian */
  likelihood?: Likelihood;
  /** hidden layers' activation: ReLU (default) or LeakyReLU with a negative slope in (0, 1) */
  activation?: Activation;
  /** conditional VAE: the number of label classes, one-hot encoded into the encoder's and the
   *  decoder's inputs (Kingma et al. 2014's M2, supervised) */
  classes?: number;
  /** the network: the MLP of `shape` (absent) or a CNN (src/parts/network/cnn.ts), whose input
   *  and output sizes are shape.encoder[0] and whose latent size is shape.latent */
  net?: CnnNet;
  batch: number;
  /** the training objective: the importance-weighted bound (MIWAE, Mattei & Frellsen 2019) with
   *  this many draws per row, table models only; absent: the ELBO. Only the trainer reads it
   *  (buildVae's `objective`); evaluators build the plain model from the same configuration. */
  iw?: number;
  optimizer: OptimizerConfig;
  seed: number;
}

export interface GpuVae {
  config: VaeConfig;
  layout: ParamLayout;
  params: GPUBuffer;
  grads: GPUBuffer;
  /** training state (the step counter) read by Adam and the training noise */
  state: GPUBuffer;
  x: GpuMatrix;
  /** conditional VAE: the batch's labels (B u32), written by the gather or by an evaluator */
  labels?: GPUBuffer;
  eps: GpuMatrix;
  h: GpuMatrix;
  z: GpuMatrix;
  logits: GpuMatrix;
  reRows: GpuMatrix;
  klRows: GpuMatrix;
  /** what loss_accumulate sums per step: reRows and klRows (the ELBO), or with the importance-weighted
   *  bound one pair per data row whose total is its bound (iw_weights.wgsl) */
  lossRe: GpuMatrix;
  lossKl: GpuMatrix;
  /** the importance-weighted bound: K draws per data row (rows m = b K + k replicate row b, so x,
   *  eps, z and every activation hold batch * K rows) and their self-normalised weights (1, batch K) */
  iw?: { K: number; weights: GpuMatrix };
  optimizerState: GPUBuffer[];
  /** per-row losses (reRows, klRows) for x and eps; also leaves dL/dlogits ready for backward.
   *  The concatenation of encode, reparamForward, decode and lossRows (then, with the
   *  importance-weighted bound, iw_weights: the weights, the bound's rows and dOut scaled). */
  forward: Dispatch[];
  /** x -> h = [mu | logvar] */
  encode: Dispatch[];
  /** the same in evaluation mode (batch norm from its running statistics; for an MLP the same list) */
  encodeEval: Dispatch[];
  decodeEval: Dispatch[];
  /** forward in evaluation mode: validation and evaluation */
  evalForward: Dispatch[];
  /** (h, eps) -> z and KL rows */
  reparamForward: Dispatch;
  /** z -> logits */
  decode: Dispatch[];
  /** (decoder output, x) -> RE rows and dL/doutput */
  lossRows: Dispatch;
  /** what the decoder output holds: logits (Bernoulli) or means (Gaussian) */
  output: 'logits' | 'mean';
  /** all weight and bias gradients into `grads` */
  backward: Dispatch[];
  /** the optimizer step over the whole parameter block */
  update: Dispatch;
  /** noise into eps, counted by `state` (the training state unless another is given) */
  sampler(state: GPUBuffer, seed: number): Dispatch;
}

/** A table model's input is [x | mask] (shape.masked) and its likelihood reads the mask; the two
 *  come together, and only with the MLP. */
export function checkMaskedInput(config: Pick<VaeConfig, 'shape' | 'likelihood' | 'net' | 'classes'>): void {
  const table = config.likelihood?.kind === 'table';
  if (table && !config.shape.masked) fail('a table likelihood needs the masked input [x | mask] (shape.masked)');
  if (config.shape.masked && !table) fail('a masked input [x | mask] goes with the table likelihood only');
  if (config.shape.masked && config.net) fail('a table model uses the MLP, not a CNN');
  if (config.shape.masked && config.classes) fail('a table model is not conditional');
}

/** A CNN's layers against the device's limits, from the configuration alone: callers that tune the
 *  kernels first (src/runtime/worker_api.ts) run it before tuning, so a model too big for the device
 *  gets the model's own error naming the setting, not a failed tuning probe. buildVae runs it too. */
export function checkModelFits(ctx: GpuContext, config: VaeConfig, iw?: number): void {
  const plan = modelPlan(config);
  if (plan) checkCnnFit(ctx, plan, config.batch * (iw ?? 1), modelLayout(config).bytes);
}

/** `objective.iw`: train on the importance-weighted bound with K draws per row (the trainer passes
 *  config.iw); absent, the ELBO. */
export function buildVae(ctx: GpuContext, config: VaeConfig, objective: { iw?: number } = {}): GpuVae {
  validateShape(config.shape);
  validatePrior(config.prior);
  requirePositiveInt('batch size', config.batch);
  if (config.multivariate && config.prior.kind !== 't') fail(`the multivariate option applies to the t prior only, not the ${config.prior.kind} prior`);
  checkMaskedInput(config);
  const K = objective.iw;
  if (K !== undefined) checkIwObjective(config, K);
  const parts = modelParts(config);
  // G data rows per step; the buffers hold B rows: with the importance-weighted bound each data row
  // is replicated K times (B = G K, rows b K .. b K + K - 1 being row b's draws), else B = G
  const G = config.batch, B = G * (K ?? 1), L = config.shape.latent;
  const nEnc = config.shape.encoder.length; // encoder hidden layers + the head layer
  const layout = modelLayout(config);
  const plan = modelPlan(config);
  checkModelFits(ctx, config, K);
  const params = createBuffer(ctx, layout.bytes, 'params');
  const grads = createBuffer(ctx, layout.bytes, 'grads');
  const views = layout.layers.map((s, i) => layerViews(params, s, `layer${i}`));
  const gviews = layout.layers.map((s, i) => layerViews(grads, s, `grad${i}`));
  const state = createTrainState(ctx);

  const C = config.classes ?? 0;
  if (!Number.isInteger(C) || C < 0) fail(`classes must be an integer >= 0, got ${C}`);
  const D = config.shape.encoder[0];
  const x = allocMatrix(ctx, B, D, 'x');
  const labels = C ? createBuffer(ctx, B * 4, 'labels') : undefined;
  const eps = allocMatrix(ctx, 1, B * L, 'eps');
  const z = allocMatrix(ctx, B, L, 'z');
  const dz = allocMatrix(ctx, B, L, 'dz');
  const reRows = allocMatrix(ctx, 1, B, 're_rows');
  const klRows = allocMatrix(ctx, 1, B, 'kl_rows');
  let h: GpuMatrix, dh: GpuMatrix, logits: GpuMatrix, dLogits: GpuMatrix, net: NetworkDispatches;
  if (plan) {
    const H = parts.latent.headSize(L);
    h = allocMatrix(ctx, B, H, 'h');
    dh = allocMatrix(ctx, B, H, 'd_h');
    logits = allocMatrix(ctx, B, D, 'logits');
    dLogits = allocMatrix(ctx, B, D, 'd_logits');
    net = buildCnnNetwork(ctx, plan, B, (i) => views[i], (i) => gviews[i], { x, h, dh, z, dz, out: logits, dOut: dLogits });
  } else {
    const mlp = buildMlpNetwork(ctx, modelLayers(config), nEnc, B, activationSlope(config), (i) => views[i], (i) => gviews[i], { x, z, dz, labels, classes: C });
    ({ h, dh, out: logits, dOut: dLogits, net } = mlp);
  }

  // the loss is a mean over the G data rows; with the bound, each replica's share is its weight
  const weights = K ? allocMatrix(ctx, 1, B, 'iw_weights') : undefined;
  const reparam = parts.latent.gpu(ctx, { h, eps, z, kl: klRows, dz, dh }, 1 / G, weights);
  const extraValues = extraView(params, layout, 'likelihood.params'), extraGrads = extraView(grads, layout, 'likelihood.grads');
  const loss = parts.likelihood.gpu(ctx, {
    out: logits, x, dOut: dLogits, rowLoss: reRows, scale: 1 / G,
    extra: extraValues && extraGrads ? { values: extraValues, grads: extraGrads } : undefined,
    rowWeights: weights,
  });
  const boundRe = K ? allocMatrix(ctx, 1, G, 'iw_bound_re') : reRows, boundKl = K ? allocMatrix(ctx, 1, G, 'iw_bound_kl') : klRows;
  // the bound's weights need every replica's loss row: they follow the loss and scale its dOut
  const lossRows: Dispatch[] = [loss.loss, ...(K ? [iwWeights(ctx, { K, re: reRows, kl: klRows, weights: weights!, dOut: dLogits, boundRe, boundKl })] : [])];
  const backward = [...(loss.extraGrad ? [loss.extraGrad] : []), ...net.backwardDecoder, reparam.backward, ...net.backwardEncoder];
  const noise = parts.latent.noise;
  const optimizer = createOptimizer(ctx, config.optimizer, { params, grads, bytes: layout.bytes, state });
  return {
    config,
    layout,
    params,
    grads,
    state,
    x,
    labels,
    eps,
    h,
    z,
    logits,
    reRows,
    klRows,
    lossRe: boundRe,
    lossKl: boundKl,
    ...(K ? { iw: { K, weights: weights! } } : {}),
    optimizerState: optimizer.moments,
    forward: [...net.encode, reparam.forward, ...net.decode, ...lossRows],
    evalForward: [...net.encodeEval, reparam.forward, ...net.decodeEval, ...lossRows],
    encode: net.encode,
    encodeEval: net.encodeEval,
    reparamForward: reparam.forward,
    decode: net.decode,
    decodeEval: net.decodeEval,
    lossRows: loss.loss,
    output: parts.likelihood.output,
    backward,
    update: optimizer.update,
    sampler: (st, seed) => sampleEps(ctx, { noise, seed, M: B, L, state: st, eps }),
  };
}
