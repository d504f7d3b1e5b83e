// The imputation protocol's fixed settings and its two masks, shared by `npm run eval`, the main
// job and the page so that every model is scored on the same holes.
import { randomPixelMask, squaresMask } from './masks.ts';

export const PROTOCOL = {
  /** decoder outputs averaged per prediction (the reference's 30) */
  draws: 30,
  gibbsRounds: 5,
  maskSeed: 2024,
  /** prior samples drawn for the figures */
  samples: 64,
  /** rows per evaluation batch on the GPU */
  batch: 500,
  /** test images on a software adapter unless chosen: the protocol decodes each image ~700 times
   *  (30 draws, pseudo-Gibbs, MwG), so 200 keep an evaluation to about a minute per model */
  softwareTestImages: 200,
} as const;

/** (a) 30% of all test-set pixels uniformly at random; (b) 50 squares of side 1..4 per image. */
export function protocolMasks(n: number, rows: number, cols: number, seed: number): { name: string; mask: Uint8Array }[] {
  return [
    { name: 'random 30%', mask: randomPixelMask(n, rows * cols, 0.3, seed) },
    { name: '50 squares 1-4', mask: squaresMask(n, rows, cols, { squares: 50, minSide: 1, maxSide: 4, seed: seed + 1 }) },
  ];
}
