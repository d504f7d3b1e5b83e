// Float64 CPU reference of shaders/mwg_accept.wgsl: the per-row accept/reject of the
// Metropolis-within-Gibbs imputer and the refill of the missing pixels.
// terms (M, 4) from mwg_log_weight; z, zCur (M, L); chain (M, 4) = (joint, accepted now, accept
// count, 0); logits, mask, xhat, acc (M, D); all dense row-major. u comes from the same Philox
// counter as the kernel: (row, step, 0xffffffff, 0x6d7767) under the seed key.
import { sigmoid } from './bce.ts';
import { philox4x32, uniform01 } from './sample_eps.ts';

export const ACCEPT_LANE = 0xffffffff;
export const ACCEPT_TAG = 0x6d7767; // 'mwg'

export interface AcceptState {
  zCur: Float64Array;
  chain: Float64Array;
}

/** The uniform of row m's accept test at this step. */
export function acceptUniform(seed: [number, number], step: number, m: number): number {
  return uniform01(philox4x32([m, step, ACCEPT_LANE, ACCEPT_TAG], seed)[0]);
}

/** log rho per row: (joint' - logq') - (joint_t - logq_t). */
export function logAcceptRatio(terms: ArrayLike<number>, chain: ArrayLike<number>, m: number): number {
  return terms[m * 4] - terms[m * 4 + 1] - (chain[m * 4] - terms[m * 4 + 2]);
}

export function mwgDecideRef(
  a: { M: number; L: number; terms: ArrayLike<number>; z: ArrayLike<number>; zCur: ArrayLike<number>; chain: ArrayLike<number> },
  seed: [number, number],
  step: number,
  force: boolean,
): AcceptState {
  const zCur = Float64Array.from(a.zCur), chain = Float64Array.from(a.chain);
  for (let m = 0; m < a.M; m++) {
    const accept = force || Math.log(acceptUniform(seed, step, m)) < logAcceptRatio(a.terms, a.chain, m);
    chain[m * 4 + 1] = accept ? 1 : 0;
    if (!accept) continue;
    for (let j = 0; j < a.L; j++) zCur[m * a.L + j] = a.z[m * a.L + j];
    chain[m * 4] = a.terms[m * 4];
    chain[m * 4 + 2] += 1;
  }
  return { zCur, chain };
}

export function mwgRefillRef(
  a: { M: number; D: number; chain: ArrayLike<number>; logits: ArrayLike<number>; mask: ArrayLike<number>; xhat: ArrayLike<number>; acc: ArrayLike<number> },
  weight: number,
): { xhat: Float64Array; acc: Float64Array } {
  const xhat = Float64Array.from(a.xhat), acc = Float64Array.from(a.acc);
  for (let m = 0; m < a.M; m++) {
    for (let d = 0; d < a.D; d++) {
      const i = m * a.D + d;
      if (a.chain[m * 4 + 1] !== 0 && a.mask[i] !== 0) xhat[i] = sigmoid(a.logits[i]);
      if (weight !== 0) acc[i] += weight * xhat[i];
    }
  }
  return { xhat, acc };
}
