// Float64 CPU reference of a whole VAE: forward pass, batch-mean loss and backward pass.
// Layers (see layerShapes): encoder[i] -> encoder[i+1] ReLU, encoder[last] -> 2*latent linear
// (h = [mu | logvar]), then latent -> decoder[0] -> ... -> decoder[last] = encoder[0], ReLU on
// all decoder layers but the last (its output = logits). Dense w is (out,in), b is (out).
// x (B,D) in [0,1], eps (B,L). Loss = mean_i (RE_i + KL_i). Built from gemm/bce/reparam_kl.
// Other parts: a latent part's float64 half (src/ref/parts.ts) replaces reparam_kl (its encoder head
// may be wider than 2L) and a likelihood part's replaces the Bernoulli loss (with its own parameters).

import { TvaeError } from '../errors.ts';
import { addBiasRelu, columnSums, matmulDyW, matmulDytX, matmulXWt, reluMask } from './gemm.ts';
import { bceFromLogits } from './bce.ts';
import { reparamBackward, reparamForward, validatePrior } from './reparam_kl.ts';
import { concatOnehot, concatOnehotBackward } from './concat_onehot.ts';
import type { Prior } from './reparam_kl.ts';
import type { LatentRef, LikelihoodRef } from './parts.ts';
// The shape arithmetic is production code's (src/model/shape.ts), shared: sizes, not formulas.
import { checkSize, encoderLayerCount, layerShapes, outputWidth, type Dense, type LayerShape, type VaeShape } from '../model/shape.ts';

export { encoderLayerCount, initParams, layerShapes, outputWidth, validateShape } from '../model/shape.ts';
export type { Dense, LayerShape, VaeShape } from '../model/shape.ts';

/** Parts other than the default diagonal posterior of `prior` and the Bernoulli decoder. */
export interface RefParts {
  /** conditional VAE: the labels of the batch (B) over `classes` classes, one-hot encoded as extra
   *  input columns of the encoder's first layer and of the decoder's first layer */
  labels?: ArrayLike<number>;
  classes?: number;
  latent?: LatentRef;
  likelihood?: LikelihoodRef;
  /** the hidden layers' activation: ReLU (0, the default) or LeakyReLU with this negative slope */
  slope?: number;
  /** the likelihood's own parameters (e.g. learned log-variances), if it has any */
  extra?: ArrayLike<number>;
}

export type { Prior } from './reparam_kl.ts';

export interface ForwardBackwardResult {
  loss: number;
  reMean: number;
  klMean: number;
  reRows: Float64Array;
  klRows: Float64Array;
  z: Float64Array;
  logits: Float64Array;
  grads: Dense[];
  /** gradient of the likelihood's own parameters, if it has any */
  gradExtra?: Float64Array;
}

function checkParams(params: Dense[], layers: LayerShape[]): void {
  if (params.length !== layers.length) throw new TvaeError(`expected ${layers.length} layers, got ${params.length}`);
  layers.forEach((ls, i) => {
    const p = params[i];
    if (p.in !== ls.in || p.out !== ls.out || p.w.length !== ls.in * ls.out || p.b.length !== ls.out) {
      throw new TvaeError(`layer ${i}: expected (${ls.out},${ls.in}), got (${p.out},${p.in}) w=${p.w.length} b=${p.b.length}`);
    }
  });
}

interface ForwardState {
  layers: LayerShape[];
  nEnc: number;
  acts: Float64Array[]; // acts[k] = output of layer k (post-activation)
  h: Float64Array;
  z: Float64Array;
  klRows: Float64Array;
  logits: Float64Array;
  reRows: Float64Array;
  dLogits: Float64Array;
  gradExtra?: Float64Array;
  /** the inputs of the encoder's and the decoder's first layers (with the one-hot label, if any) */
  xIn: ArrayLike<number>;
  zIn: Float64Array;
  C: number;
}

function forward(
  params: Dense[], shape: VaeShape, x: ArrayLike<number>, eps: ArrayLike<number>, B: number, prior: Prior, parts: RefParts,
): ForwardState {
  validatePrior(prior);
  const C = parts.labels ? parts.classes ?? 0 : 0;
  if (parts.labels && !(C > 0)) throw new TvaeError('conditional reference model: give classes with the labels');
  const layers = layerShapes(shape, parts.latent?.headSize(shape.latent), C);
  checkParams(params, layers);
  checkSize('B', B);
  const D = shape.encoder[0], L = shape.latent, nEnc = encoderLayerCount(shape);
  if (x.length !== B * D) throw new TvaeError(`x has length ${x.length}, expected B*D = ${B * D}`);
  // the table likelihood checks that its rows are [x | mask] (2D wide); the Bernoulli default cannot read them
  if (shape.masked && !parts.likelihood) throw new TvaeError('a masked input [x | mask] goes with the table likelihood');
  if (eps.length !== B * L) throw new TvaeError(`eps has length ${eps.length}, expected B*L = ${B * L}`);
  const acts: Float64Array[] = [];
  const xIn = C ? concatOnehot(x, parts.labels!, B, D, C) : x;
  let a: ArrayLike<number> = xIn;
  let zIn: Float64Array = new Float64Array(0);
  let h: Float64Array = new Float64Array(0), z: Float64Array = new Float64Array(0);
  let klRows: Float64Array = new Float64Array(0);
  for (let k = 0; k < layers.length; k++) {
    const ls = layers[k], p = params[k];
    const y = addBiasRelu(matmulXWt(a, p.w, B, ls.out, ls.in), p.b, B, ls.out, ls.relu, parts.slope ?? 0);
    acts.push(y);
    a = y;
    if (k === nEnc - 1) {
      h = y;
      ({ z, klRows } = parts.latent ? parts.latent.forward(h, eps, B, L) : reparamForward(h, eps, B, L, prior));
      zIn = C ? concatOnehot(z, parts.labels!, B, L, C) : z;
      a = zIn;
    }
  }
  const logits = acts[acts.length - 1];
  const lik: { rowLoss: Float64Array; grad: Float64Array; gradExtra?: Float64Array } = parts.likelihood
    ? parts.likelihood.rows(logits, x, B, outputWidth(shape), parts.extra)
    : bceFromLogits(logits, x, B, D);
  const { rowLoss: reRows, grad: dLogits, gradExtra } = lik;
  return { layers, nEnc, acts, h, z, zIn, xIn, C, klRows, logits, reRows, dLogits, gradExtra };
}

/** The encoder alone: x (B, D) -> h (B, 2L) = [mu | logvar]. */
export function encode(params: Dense[], shape: VaeShape, x: ArrayLike<number>, B: number, head = 2 * shape.latent, slope = 0): Float64Array {
  const layers = layerShapes(shape, head);
  checkParams(params, layers);
  let a: ArrayLike<number> = x;
  for (let k = 0; k < encoderLayerCount(shape); k++) {
    const ls = layers[k];
    a = addBiasRelu(matmulXWt(a, params[k].w, B, ls.out, ls.in), params[k].b, B, ls.out, ls.relu, slope);
  }
  return a as Float64Array;
}

function mean(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

/** The per-row losses alone: RE_i and KL_i. */
export function rowLosses(
  params: Dense[], shape: VaeShape, x: ArrayLike<number>, eps: ArrayLike<number>, B: number, prior: Prior, parts: RefParts = {},
): { reRows: Float64Array; klRows: Float64Array } {
  const f = forward(params, shape, x, eps, B, prior, parts);
  return { reRows: f.reRows, klRows: f.klRows };
}

/** Batch-mean loss mean_i (RE_i + KL_i) only. */
export function lossOnly(
  params: Dense[], shape: VaeShape, x: ArrayLike<number>, eps: ArrayLike<number>, B: number, prior: Prior, parts: RefParts = {},
): number {
  const f = forward(params, shape, x, eps, B, prior, parts);
  return mean(f.reRows) + mean(f.klRows);
}

/** Forward pass, batch-mean loss and the gradients of that loss wrt every w and b. `weigh`: row
 *  weights from the forward's loss rows, held fixed in the backward (the importance-weighted bound's,
 *  src/ref/miwae.ts): the gradient is then mean_i weight_i d(RE_i + KL_i); the loss stays the mean. */
export function forwardBackward(
  params: Dense[], shape: VaeShape, x: ArrayLike<number>, eps: ArrayLike<number>, B: number, prior: Prior, parts: RefParts = {},
  weigh?: (reRows: Float64Array, klRows: Float64Array) => Float64Array,
): ForwardBackwardResult {
  const f = forward(params, shape, x, eps, B, prior, parts);
  const { layers, nEnc, acts } = f;
  const L = shape.latent;
  const grads: Dense[] = new Array(layers.length);
  const rho = weigh?.(f.reRows, f.klRows);
  let gradExtra = f.gradExtra;
  let dy: Float64Array = f.dLogits; // gradient wrt output of layer k (post-activation)
  if (rho) {
    if (!parts.likelihood) throw new TvaeError('weighted rows need a likelihood part that weighs its gradients');
    ({ grad: dy, gradExtra } = parts.likelihood.rows(f.logits, x, B, outputWidth(shape), parts.extra, rho));
  }
  for (let k = layers.length - 1; k >= 0; k--) {
    const ls = layers[k], p = params[k];
    const g = ls.relu ? reluMask(dy, acts[k], parts.slope ?? 0) : dy;
    const input: ArrayLike<number> = k === 0 ? f.xIn : k === nEnc ? f.zIn : acts[k - 1];
    grads[k] = {
      out: ls.out, in: ls.in,
      w: matmulDytX(g, input, B, ls.out, ls.in),
      b: columnSums(g, B, ls.out),
    };
    if (k === 0) break;
    dy = matmulDyW(g, p.w, B, ls.out, ls.in);
    if (k === nEnc && f.C) dy = concatOnehotBackward(dy, B, L, f.C);
    if (k === nEnc) dy = parts.latent ? parts.latent.backward(f.h, eps, dy, B, L, 1 / B, rho) : reparamBackward(f.h, eps, dy, B, L, prior, 1 / B, rho);
  }
  const reMean = mean(f.reRows), klMean = mean(f.klRows);
  return {
    loss: reMean + klMean, reMean, klMean, reRows: f.reRows, klRows: f.klRows,
    z: f.z, logits: f.logits, grads, gradExtra,
  };
}
