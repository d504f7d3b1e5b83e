// Float64 reference of LeakyReLU: y = x for x > 0, slope * x otherwise (PyTorch's convention at 0).
// Backward takes the pre-activation a; for slope > 0 the output has the same sign and serves too.
type Arr = ArrayLike<number>;

export function leakyRelu(x: Arr, slope: number): Float64Array {
  return Float64Array.from(x, (v) => (v > 0 ? v : slope * v));
}

export function leakyReluBackward(dy: Arr, a: Arr, slope: number): Float64Array {
  if (dy.length !== a.length) throw new Error(`leakyReluBackward: length mismatch ${dy.length} vs ${a.length}`);
  return Float64Array.from(dy, (g, i) => (a[i] > 0 ? g : slope * g));
}
