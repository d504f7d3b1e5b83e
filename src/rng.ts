// Seeded CPU randomness (weight init, shuffling, masks, test data). The GPU has its own
// counter-based generator (shaders/sample_eps.wgsl); nothing in the project uses Math.random.

/** SplitMix32-style generator: 32-bit state, uniform floats in [0, 1). */
export function createRng(seed: number): { next(): number; normal(): number; int(n: number): number } {
  let s = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  let spare: number | undefined;
  const next = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 16), 0x85ebca6b);
    t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35);
    return ((t ^ (t >>> 16)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** standard normal by Box-Muller */
    normal() {
      if (spare !== undefined) {
        const v = spare;
        spare = undefined;
        return v;
      }
      const u = 1 - next(), v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    /** uniform integer in [0, n) */
    int: (n: number) => Math.floor(next() * n),
  };
}

/** Fisher-Yates permutation of 0..n-1. */
export function permutation(n: number, rng: { int(n: number): number }): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
