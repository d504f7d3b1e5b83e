// CPU reference of shaders/sigmoid_accumulate.wgsl: acc + weight * sigmoid(logits), elementwise.
import { sigmoid } from './bce.ts';

export function sigmoidAccumulateRef(acc: ArrayLike<number>, logits: ArrayLike<number>, weight: number): Float64Array {
  return Float64Array.from(acc, (a, i) => a + weight * sigmoid(logits[i]));
}
