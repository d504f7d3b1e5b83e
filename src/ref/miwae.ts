// Float64 CPU reference of the importance-weighted training objective (MIWAE, Mattei & Frellsen
// 2019): for each of the B data rows x_b, K draws z_k = mu + sigma eps_k ~ q(z | x_b) and
//   bound_b = -log (1/K sum_k w_k),   w_k = p(x_obs | z_k) p(z_k) / q(z_k | x_b)
// with log w_k = -(RE + KL) of replica k (RE over the observed cells; KL the one-sample
// log q - log p at z_k). The loss is mean_b bound_b; its reparameterised gradient is
//   mean_b sum_k softmax_k(log w) d(RE + KL)_k
// (the weights held fixed: d log sum_k w_k = sum_k (w_k / sum w) d log w_k). With K = 1 the bound
// of a row is its RE + KL: the ELBO. The model runs on the rows replicated K times (row b K + k is
// x_b with noise eps[b K + k]), as the GPU trainer does (src/model/vae_gpu.ts, iw_weights.wgsl).
import type { VaeConfig } from '../model/vae_gpu.ts';
import { checkIwObjective } from '../parts/model.ts';
import { refParts } from './parts.ts';
import { fail, TvaeError } from '../errors.ts';
import { iwWeights, type IwBound } from './iw_weights.ts';
import { forwardBackward, rowLosses, type Dense } from './vae.ts';

/** Each of the B rows (D wide) K times in a row. */
export function replicateRows(x: ArrayLike<number>, B: number, D: number, K: number): Float64Array {
  if (x.length !== B * D) throw new TvaeError(`replicateRows: ${x.length} values are not ${B} rows of ${D}`);
  const out = new Float64Array(B * K * D);
  for (let b = 0; b < B; b++) for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) out[(b * K + k) * D + d] = x[b * D + d];
  return out;
}

function setup(config: VaeConfig, K: number, x: ArrayLike<number>, eps: ArrayLike<number>) {
  checkIwObjective(config, K);
  const B = config.batch, D = config.shape.encoder[0], L = config.shape.latent;
  if (eps.length !== B * K * L) throw new TvaeError(`eps holds ${eps.length} values, expected ${B * K} rows (B K) of ${L}`);
  return { M: B * K, xRep: replicateRows(x, B, D, K) };
}

/** Each data row's bound (B), with the weights and the replicas' loss rows. x (B, Din), eps (B K, L). */
export function miwaeRows(config: VaeConfig, K: number, params: Dense[], x: ArrayLike<number>, eps: ArrayLike<number>, extra?: ArrayLike<number>) {
  const { M, xRep } = setup(config, K, x, eps);
  const r = rowLosses(params, config.shape, xRep, eps, M, config.prior, refParts(config, extra));
  return { ...iwWeights(r.reRows, r.klRows, K), reRows: r.reRows, klRows: r.klRows };
}

/** The objective mean_b bound_b. */
export function miwaeLoss(config: VaeConfig, K: number, params: Dense[], x: ArrayLike<number>, eps: ArrayLike<number>, extra?: ArrayLike<number>): number {
  const { bound } = miwaeRows(config, K, params, x, eps, extra);
  return bound.reduce((a, b) => a + b, 0) / bound.length;
}

/** The objective, each data row's bound and the gradients of the objective wrt every weight, bias
 *  and the likelihood's own parameters. */
export function miwaeForwardBackward(config: VaeConfig, K: number, params: Dense[], x: ArrayLike<number>, eps: ArrayLike<number>, extra?: ArrayLike<number>) {
  const { M, xRep } = setup(config, K, x, eps);
  const kept: { iw?: IwBound } = {};
  // forwardBackward's gradient is a mean over the M = B K replicas: the weight w / B is K w / M
  const fb = forwardBackward(params, config.shape, xRep, eps, M, config.prior, refParts(config, extra), (re, kl) => {
    kept.iw = iwWeights(re, kl, K);
    return kept.iw.weights.map((w) => w * K);
  });
  const { bound, weights } = kept.iw ?? fail('miwaeForwardBackward: the weights were not computed');
  return { loss: bound.reduce((a, b) => a + b, 0) / bound.length, bound, weights, reRows: fb.reRows, klRows: fb.klRows, grads: fb.grads, gradExtra: fb.gradExtra };
}
