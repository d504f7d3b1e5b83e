// One fill of one model: the three imputers of the protocol on the current image and mask, each
// scored by the MSE on the missing pixels. The prediction is the raw mean of the decoder outputs,
// so its observed pixels are put back here; pseudo-Gibbs and MwG keep them themselves (their
// contract in gpu_eval.ts). `observedChanged` counts observed pixels that differ from the image in
// what is shown: it must be 0, and the page test checks it for every method.
import type { Evaluator } from '../../eval/gpu_eval.ts';
import { applyMask, imputeWith } from '../../eval/masks.ts';
import { mseWhere } from '../../eval/metrics.ts';
import { PROTOCOL } from '../../eval/protocol.ts';

export type Method = 'prediction' | 'gibbs' | 'mwg';

export const METHODS: readonly { key: Method; title: string }[] = [
  { key: 'prediction', title: `prediction (mean of ${PROTOCOL.draws})` },
  { key: 'gibbs', title: `pseudo-Gibbs (${PROTOCOL.gibbsRounds} rounds)` },
  { key: 'mwg', title: `Metropolis-within-Gibbs (${PROTOCOL.gibbsRounds * PROTOCOL.draws} steps)` },
];

export interface MethodResult {
  image: Float32Array;
  /** MSE on the missing pixels against the image before masking */
  missingMse: number;
  /** observed pixels whose value differs from the image's */
  observedChanged: number;
  /** MwG only: fraction of proposals accepted */
  acceptance?: number;
}

export type ModelFill = Record<Method, MethodResult>;

/** The MSE of leaving the holes at 0 (what the encoder sees): the figure each method must beat. */
export function zeroFillMse(x: Float32Array, mask: Uint8Array): number {
  return mseWhere(applyMask(x, mask), x, mask);
}

function score(x: Float32Array, mask: Uint8Array, image: Float32Array, acceptance?: number): MethodResult {
  let observedChanged = 0;
  for (let i = 0; i < x.length; i++) if (mask[i] === 0 && image[i] !== x[i]) observedChanged++;
  return { image, missingMse: mseWhere(image, x, mask), observedChanged, acceptance };
}

/** The protocol's settings (30 draws, 5 rounds, 5 x 30 MwG steps) on one image; mask has a 1 somewhere. */
export async function fillOne(ev: Evaluator, x: Float32Array, mask: Uint8Array): Promise<ModelFill> {
  const masked = applyMask(x, mask);
  const { draws, gibbsRounds } = PROTOCOL;
  const prediction = imputeWith(x, await ev.predict(masked, 1, draws), mask);
  const gibbs = await ev.pseudoGibbs(masked, mask, 1, gibbsRounds, draws);
  const mwg = await ev.metropolisWithinGibbs(masked, mask, 1, gibbsRounds * draws);
  return {
    prediction: score(x, mask, prediction),
    gibbs: score(x, mask, gibbs),
    mwg: score(x, mask, mwg.images, mwg.acceptance),
  };
}
