// The imputation protocol over one trained model: clean reconstruction, then for each mask the
// prediction (mean of K decoder outputs for the masked input), the imputation (observed pixels
// kept), the pseudo-Gibbs imputer and the Metropolis-within-Gibbs imputer (Mattei & Frellsen
// 2018), scored by MSE and SSIM (global, as the reference; and per-image windowed).
import { applyMask, imputeWith } from './masks.ts';
import { globalSsim, meanWindowedSsim, mse, mseWhere } from './metrics.ts';

export interface EvalBackend {
  predict(x: Float32Array, n: number, draws: number): Promise<Float32Array>;
  pseudoGibbs(x: Float32Array, mask: Uint8Array, n: number, rounds: number, draws: number): Promise<Float32Array>;
  metropolisWithinGibbs(x: Float32Array, mask: Uint8Array, n: number, iterations: number): Promise<{ images: Float32Array; acceptance: number }>;
}

export interface MaskScores {
  mask: string;
  missingFraction: number;
  predictionMse: number;
  imputationMse: number;
  missingMse: number;
  predictionSsim: number;
  imputationSsim: number;
  predictionSsimWindowed: number;
  imputationSsimWindowed: number;
  gibbsImputationMse: number;
  gibbsMissingMse: number;
  mwgImputationMse: number;
  mwgMissingMse: number;
}

export interface ModelScores {
  reconstructionMse: number;
  masks: MaskScores[];
}

export interface ProtocolOptions {
  n: number;
  rows: number;
  cols: number;
  draws: number;
  gibbsRounds: number;
  /** MwG iterations; default gibbsRounds * draws, the decoder budget pseudo-Gibbs spends */
  mwgIterations?: number;
}

export interface ProtocolImages {
  reconstruction: Float32Array;
  perMask: { masked: Float32Array; prediction: Float32Array; imputation: Float32Array }[];
}

export async function runProtocol(
  backend: EvalBackend,
  x: Float32Array,
  masks: { name: string; mask: Uint8Array }[],
  o: ProtocolOptions,
): Promise<{ scores: ModelScores; images: ProtocolImages }> {
  const reconstruction = await backend.predict(x, o.n, 1);
  const perMask = [];
  const scored: MaskScores[] = [];
  for (const { name, mask } of masks) {
    const masked = applyMask(x, mask);
    const prediction = await backend.predict(masked, o.n, o.draws);
    const imputation = imputeWith(x, prediction, mask);
    const gibbs = await backend.pseudoGibbs(masked, mask, o.n, o.gibbsRounds, o.draws);
    const mwg = await backend.metropolisWithinGibbs(masked, mask, o.n, o.mwgIterations ?? o.gibbsRounds * o.draws);
    const missing = mask.reduce((s, v) => s + v, 0);
    scored.push({
      mask: name,
      missingFraction: missing / mask.length,
      predictionMse: mse(prediction, x),
      imputationMse: mse(imputation, x),
      missingMse: mseWhere(prediction, x, mask),
      predictionSsim: globalSsim(prediction, x),
      imputationSsim: globalSsim(imputation, x),
      predictionSsimWindowed: meanWindowedSsim(prediction, x, o.n, o.rows, o.cols),
      imputationSsimWindowed: meanWindowedSsim(imputation, x, o.n, o.rows, o.cols),
      gibbsImputationMse: mse(gibbs, x),
      gibbsMissingMse: mseWhere(gibbs, x, mask),
      mwgImputationMse: mse(mwg.images, x),
      mwgMissingMse: mseWhere(mwg.images, x, mask),
    });
    perMask.push({ masked, prediction, imputation });
  }
  return { scores: { reconstructionMse: mse(reconstruction, x), masks: scored }, images: { reconstruction, perMask } };
}

/** The first image of x, `times` times over: decoded once each, it shows the posterior's spread. */
export function repeatFirstImage(x: Float32Array, D: number, times: number): Float32Array {
  const out = new Float32Array(times * D);
  for (let i = 0; i < times; i++) out.set(x.subarray(0, D), i * D);
  return out;
}
