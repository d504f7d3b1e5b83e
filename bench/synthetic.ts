// Random bytes standing in for MNIST images: the cost of every kernel, TF.js op and CPU loop
// timed here is independent of the pixel values, so the bench needs no data set.
import { createRng } from '../src/rng.ts';

/** About 80% zeros like MNIST's background, the rest uniform: dense uniform bytes drive the
 *  untrained model's logits far larger than digits do, and SGD at the training lr diverges. */
export function syntheticImages(count: number, D: number, seed = 7): Uint8Array {
  const r = createRng(seed);
  return Uint8Array.from({ length: count * D }, () => (r.next() < 0.8 ? 0 : Math.floor(r.next() * 256)));
}

/** The images as the model sees them: floats in [0, 1] (gather_batch divides by 255). */
export function toUnit(bytes: Uint8Array): Float32Array {
  return Float32Array.from(bytes, (v) => v / 255);
}
