// The KL a run reported, checked from its saved weights alone: the last epoch's validation noise is
// replayed on the CPU (the float64 reference of the counter-based sampler gives the GPU's draws),
// the float64 encoder (MLP or CNN) gives each image's posterior, and the independent oracle of
// src/ref/log_density.ts gives log q(z|x) - log p(z) per image. On the same weights and noise this
// must equal the reported validation KL to f32 accuracy. A second, statistical figure: the true KL of
// the same posteriors by Monte Carlo with fresh CPU draws (an estimate of E_q[log q - log p]).
import { loadTrainingData } from '../data/source.ts';
import { fail } from '../errors.ts';
import { seedKey } from '../kernels/sampler.ts';
import { activationSlope } from '../parts/activation.ts';
import { unpackExtra, unpackParams, type ParamLayout } from '../model/param_layout.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { modelLayout, modelParts, modelPlan } from '../parts/model.ts';
import { cnnTensors } from '../parts/network/cnn_tensors.ts';
// This diagnostic (npm run kl-check) is the one production module that imports the float64 oracle of
// src/ref/: its whole job is to set the GPU's reported KL beside an independent float64 computation
// from the saved weights (test/no_ref_imports.test.ts allows this file, and only it).
import { cnnForwardBackward } from '../ref/cnn_vae.ts';
import { logDensity, logDensityFullNormal, logRatioOracle, type Family } from '../ref/log_density.ts';
import { cnnRefParts } from '../ref/parts.ts';
import { lpIndex } from '../ref/reparam_kl_full.ts';
import { sampleEpsRef } from '../ref/sample_eps.ts';
import { encode, type Dense } from '../ref/vae.ts';
import { validationSeed } from '../train/seeds.ts';
import { loadRun } from './load_run.ts';

export interface KlCheck {
  run: string;
  family: string;
  epoch: number;
  images: number;
  /** the validation KL in the run's history (GPU kernel, GPU noise) */
  reported: number;
  /** the oracle on the same weights and the same noise (float64, CPU); for the Gaussian VAE, whose
   *  reported KL is the closed form, this is a one-draw estimate and trueKl is the one to compare */
  oracleSameNoise: number;
  /** the oracle's mean with `draws` fresh draws per image, and its standard error */
  trueKl: number;
  trueKlSe: number;
  draws: number;
  /** the reported KL is the closed form (Gaussian posteriors): compare it with trueKl */
  closedForm: boolean;
}

export function klCheck(dir: string, opts: { draws?: number } = {}): KlCheck {
  const run = loadRun(dir);
  const draws = opts.draws ?? 20;
  const { config } = run;
  const last = run.history[run.history.length - 1];
  if (!last) fail(`${dir}: the run has no finished epoch to check`);
  const saved = (run as unknown as { data: { dir: string; splitSeed: number; sizes?: [number, number, number]; validImages?: number } }).data;
  const valid = loadTrainingData(saved.dir, saved.splitSeed, saved.dir.startsWith('synthetic:') ? undefined : saved.sizes).valid.take(saved.validImages, 'validImages');
  const B = config.batch, L = config.shape.latent, D = config.shape.encoder[0];
  const batches = Math.floor(valid.count / B);
  const x = valid.values(batches * B);
  const layout = modelLayout(config);
  // the latent part says both which oracle applies and which noise the trainer drew
  const parts = modelParts(config);
  const head = parts.latent.headSize(L);
  const encodeBatch = encoderOf(config, layout, run.params, B, L, head);
  const latent = parts.latent;
  const full = latent.posterior === 'full';
  const family = latent.noise;
  const oracle = (hm: Float64Array, e: ArrayLike<number>) => (full ? fullOracle(hm, e, L) : logRatioOracle(family, zOf(hm, e, L), hm));
  const mode = family.kind;
  const nu = family.kind === 'normal' ? 0 : family.nu;
  const seed = seedKey(validationSeed(config.seed));
  const epochIndex = last.epoch - 1; // validation steps of epoch e are e * batches + k
  let same = 0, sum = 0, sum2 = 0, n = 0;
  for (let k = 0; k < batches; k++) {
    const h = encodeBatch(x.subarray(k * B * D, (k + 1) * B * D));
    const eps = sampleEpsRef({ mode, nu, seed, step: epochIndex * batches + k, M: B, L });
    for (let m = 0; m < B; m++) {
      same += oracle(h.subarray(m * head, (m + 1) * head), eps.subarray(m * L, (m + 1) * L));
    }
    // fresh draws (a step range the run never used) for the statistical estimate of the true KL
    for (let d = 0; d < draws; d++) {
      const fresh = sampleEpsRef({ mode, nu, seed, step: 0x40000000 + k * draws + d, M: B, L });
      for (let m = 0; m < B; m++) {
        const v = oracle(h.subarray(m * head, (m + 1) * head), fresh.subarray(m * L, (m + 1) * L));
        sum += v;
        sum2 += v * v;
        n++;
      }
    }
  }
  const mean = sum / n;
  // the images are fixed and only the draws are random; the pooled spread also holds the
  // between-image spread, so this standard error is an upper bound
  const se = Math.sqrt(Math.max(sum2 / n - mean * mean, 0) / n);
  const label = full ? 'full-covariance Gaussian' : family.kind === 'normal' ? 'Gaussian' : family.kind === 't' ? `iid t(nu=${nu})` : `multivariate t(nu=${nu})`;
  return { run: dir, family: label, epoch: last.epoch, images: batches * B, reported: last.validKl, oracleSameNoise: same / (batches * B), trueKl: mean, trueKlSe: se, draws, closedForm: family.kind === 'normal' && config.kl !== 'mc' };
}

/** The float64 encoder of the saved weights: the MLP (src/ref/vae.ts), or the CNN
 *  (src/ref/cnn_vae.ts) with batch norm in evaluation mode, as validation ran it. */
function encoderOf(config: VaeConfig, layout: ParamLayout, block: Float32Array, B: number, L: number, head: number): (x: Float32Array) => Float64Array {
  const plan = modelPlan(config);
  if (plan) {
    const t = Object.fromEntries(Object.entries(cnnTensors(plan, layout, block)).map(([k, v]) => [k, v.data]));
    const extra = layout.extra ? Float64Array.from(unpackExtra(layout, block)) : undefined;
    const zeros = new Float64Array(B * L);
    const parts = cnnRefParts(config, extra);
    return (x) => cnnForwardBackward(plan, t, x, zeros, B, L, parts, 'eval').h;
  }
  const params: Dense[] = unpackParams(layout, block).map((l, i) => ({
    out: layout.layers[i].out, in: layout.layers[i].in, w: Float64Array.from(l.w), b: Float64Array.from(l.b),
  }));
  return (x) => encode(params, config.shape, x, B, head, activationSlope(config));
}

/** log N(z; mu, S S^T) - log N(z; 0, I) for the full-covariance head [mu | logvar | lower]. */
function fullOracle(h: ArrayLike<number>, eps: ArrayLike<number>, L: number): number {
  const S = new Float64Array(L * L), mu = Array.from({ length: L }, (_, i) => h[i]);
  for (let i = 0; i < L; i++) {
    S[i * L + i] = Math.exp(0.5 * h[L + i]);
    for (let j = 0; j < i; j++) S[i * L + j] = h[lpIndex(L, i, j)];
  }
  const z = mu.map((m, i) => { let v = m; for (let j = 0; j <= i; j++) v += S[i * L + j] * eps[j]; return v; });
  const normal: Family = { kind: 'normal' };
  return logDensityFullNormal(z, mu, S) - logDensity(normal, z, new Array(L).fill(0), new Array(L).fill(1));
}

function zOf(h: ArrayLike<number>, eps: ArrayLike<number>, L: number): number[] {
  return Array.from({ length: L }, (_, j) => h[j] + Math.exp(0.5 * h[L + j]) * eps[j]);
}
