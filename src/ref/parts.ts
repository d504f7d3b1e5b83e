// The float64 halves of a model's parts: for each latent and likelihood part of src/parts/, the
// reference functions that compute what its kernel computes. The parts hold only their kernels
// (production code never imports this oracle); the float64 models (vae.ts, cnn_vae.ts), the tests
// and the KL diagnostic (src/eval/kl_check.ts) get the references here, keyed by the settings the
// part itself resolved from the configuration, so both halves always describe one model.
import { fail } from '../errors.ts';
import { activationSlope } from '../parts/activation.ts';
import type { LatentPart } from '../parts/latent.ts';
import type { LikelihoodPart } from '../parts/likelihood.ts';
import { tableLayout } from '../parts/likelihood/table_layout.ts';
import { modelParts, type PartsConfig } from '../parts/model.ts';
import { bceFromLogits } from './bce.ts';
import type { CnnRefParts } from './cnn_vae.ts';
import { gaussianNll } from './gaussian_nll.ts';
import { reparamBackward, reparamForward } from './reparam_kl.ts';
import { fullBackward, fullForward } from './reparam_kl_full.ts';
import { tableNll } from './table_nll.ts';
import type { RefParts } from './vae.ts';

/** A latent part's float64 half: what the CPU models need. */
export interface LatentRef {
  /** encoder output columns for latent size L */
  headSize(L: number): number;
  forward(h: ArrayLike<number>, eps: ArrayLike<number>, B: number, L: number): { z: Float64Array; klRows: Float64Array };
  /** dh (B, headSize) from dz (B, L) plus scale * dKL; `rowWeights` (B): the importance-weighted
   *  bound's weights, row i's KL part scaled by scale * rowWeights[i] (diagonal posterior only) */
  backward(h: ArrayLike<number>, eps: ArrayLike<number>, dz: ArrayLike<number>, B: number, L: number, scale: number, rowWeights?: ArrayLike<number>): Float64Array;
}

/** A likelihood part's float64 half. */
export interface LikelihoodRef {
  /** per-row loss (-log p(x|z)), d(batch-mean loss)/d(output), and the gradient of its own
   *  parameters; with `rowWeights` (B, the importance-weighted bound's) row i's gradients are scaled
   *  by them (table likelihood only) */
  rows(out: ArrayLike<number>, x: ArrayLike<number>, B: number, D: number, extra?: ArrayLike<number>, rowWeights?: ArrayLike<number>): { rowLoss: Float64Array; grad: Float64Array; gradExtra?: Float64Array };
}

export function latentRef(part: LatentPart): LatentRef {
  const s = part.settings;
  const headSize = (L: number) => part.headSize(L);
  if (s.posterior === 'full') {
    return {
      headSize,
      forward: (h, eps, B, L) => fullForward(h, eps, B, L, s.kl),
      backward: (h, eps, dz, B, L, scale) => fullBackward(h, eps, dz, B, L, s.kl, scale),
    };
  }
  return {
    headSize,
    forward: (h, eps, B, L) => reparamForward(h, eps, B, L, s.prior),
    backward: (h, eps, dz, B, L, scale, rowWeights) => reparamBackward(h, eps, dz, B, L, s.prior, scale, rowWeights),
  };
}

export function likelihoodRef(part: LikelihoodPart): LikelihoodRef {
  const spec = part.spec;
  if (spec.kind === 'bernoulli') return { rows: (out, x, B, D) => bceFromLogits(out, x, B, D) };
  if (spec.kind === 'gaussian') {
    const learned = spec.variance === 'learned';
    return {
      rows(out, x, B, D, extra) {
        const lv = learned ? extra ?? fail('the learned-variance decoder needs its log-variances') : new Float64Array(D).fill(Math.log(spec.variance as number));
        const r = gaussianNll(out, x, lv, B, D);
        return { rowLoss: r.rowLoss, grad: r.grad, gradExtra: learned ? r.gradLogvar : undefined };
      },
    };
  }
  const layout = tableLayout(spec.columns);
  return {
    rows(out, xm, B, D, extra, rowWeights) {
      if (D !== layout.width) fail(`the table likelihood is ${layout.width} wide but the decoder's output has ${D} columns`);
      if (xm.length !== B * 2 * D) fail(`the table likelihood needs rows of [x | mask] (${2 * D} wide), got ${xm.length / B}`);
      const lv = extra ?? fail('the table likelihood needs its log-variances');
      const r = tableNll(out, xm, lv, layout, B, rowWeights);
      return { rowLoss: r.rowLoss, grad: r.grad, gradExtra: r.gradLogvar };
    },
  };
}

/** The float64 MLP's parts for this configuration (src/ref/vae.ts). */
export function refParts(config: PartsConfig, extra?: ArrayLike<number>, labels?: ArrayLike<number>): RefParts {
  const p = modelParts(config);
  return {
    latent: latentRef(p.latent), likelihood: likelihoodRef(p.likelihood), extra, slope: activationSlope(config),
    ...(config.classes ? { labels, classes: config.classes } : {}),
  };
}

/** The float64 CNN's parts for this configuration (src/ref/cnn_vae.ts). */
export function cnnRefParts(config: PartsConfig, extra?: ArrayLike<number>): CnnRefParts {
  const p = modelParts(config);
  return { latent: latentRef(p.latent), likelihood: likelihoodRef(p.likelihood), extra };
}
