// Float64 CPU reference of shaders/mwg_accept.wgsl: the per-row accept/reject of the
// Metropolis-within-Gibbs imputer and the Gibbs step for the missing pixels (a Bernoulli draw
// per pixel from the accepted state's logits, kept in logitsCur), plus the Rao-Blackwellised
// running average of the Bernoulli means.
// terms (M, 4) from mwg_log_weight; z, zCur (M, L); chain (M, 4) = (log rho, accepted now,
// accept count, 0); logits, logitsCur, mask, xhat, acc (M, D); all dense row-major. The
// uniforms come from the same Philox counters as the kernel: (row, step, 0xffffffff, 0x6d7767)
// for the accept test, (row, step, pixel, 0x6d7762) for the pixel draws, under the seed key.
import { sigmoid } from './bce.ts';
import { philox4x32, uniform01 } from './sample_eps.ts';

export const ACCEPT_LANE = 0xffffffff;
export const ACCEPT_TAG = 0x6d7767; // 'mwg'
export const DRAW_TAG = 0x6d7762; // 'mwb'

export interface AcceptState {
  zCur: Float64Array;
  chain: Float64Array;
}

/** The uniform of row m's accept test at this step. */
export function acceptUniform(seed: [number, number], step: number, m: number): number {
  return uniform01(philox4x32([m, step, ACCEPT_LANE, ACCEPT_TAG], seed)[0]);
}

/** The uniform of row m's Bernoulli draw at pixel d at this step. */
export function drawUniform(seed: [number, number], step: number, m: number, d: number): number {
  return uniform01(philox4x32([m, step, d, DRAW_TAG], seed)[0]);
}

/** log rho per row: likRatio + wProp - wCur. */
export function logAcceptRatio(terms: ArrayLike<number>, m: number): number {
  return terms[m * 4] + terms[m * 4 + 1] - terms[m * 4 + 2];
}

export function mwgDecideRef(
  a: { M: number; L: number; terms: ArrayLike<number>; z: ArrayLike<number>; zCur: ArrayLike<number>; chain: ArrayLike<number> },
  seed: [number, number],
  step: number,
  force: boolean,
): AcceptState {
  const zCur = Float64Array.from(a.zCur), chain = Float64Array.from(a.chain);
  for (let m = 0; m < a.M; m++) {
    const logRho = logAcceptRatio(a.terms, m);
    const accept = force || Math.log(acceptUniform(seed, step, m)) < logRho;
    chain[m * 4] = logRho;
    chain[m * 4 + 1] = accept ? 1 : 0;
    if (!accept) continue;
    for (let j = 0; j < a.L; j++) zCur[m * a.L + j] = a.z[m * a.L + j];
    chain[m * 4 + 2] += 1;
  }
  return { zCur, chain };
}

export interface RefillInputs {
  M: number;
  D: number;
  chain: ArrayLike<number>;
  logits: ArrayLike<number>;
  logitsCur: ArrayLike<number>;
  mask: ArrayLike<number>;
  xhat: ArrayLike<number>;
  acc: ArrayLike<number>;
}

export function mwgRefillRef(
  a: RefillInputs,
  seed: [number, number],
  step: number,
  weight: number,
): { logitsCur: Float64Array; xhat: Float64Array; acc: Float64Array; p: Float64Array } {
  const logitsCur = Float64Array.from(a.logitsCur), xhat = Float64Array.from(a.xhat), acc = Float64Array.from(a.acc);
  const p = new Float64Array(a.M * a.D); // the Bernoulli means of the draws (0 where observed)
  for (let m = 0; m < a.M; m++) {
    for (let d = 0; d < a.D; d++) {
      const i = m * a.D + d;
      if (a.chain[m * 4 + 1] !== 0) logitsCur[i] = a.logits[i];
      if (a.mask[i] === 0) continue;
      p[i] = sigmoid(logitsCur[i]);
      xhat[i] = drawUniform(seed, step, m, d) < p[i] ? 1 : 0;
      if (weight !== 0) acc[i] += weight * p[i];
    }
  }
  return { logitsCur, xhat, acc, p };
}
