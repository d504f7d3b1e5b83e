// Float64 CPU reference of the optimizer updates. All arrays are flat and of equal length;
// updates happen in place. Adam uses the standard bias correction with 1-based step t.

type Mut = { [i: number]: number; readonly length: number };

export interface AdamConfig { lr: number; beta1: number; beta2: number; eps: number }

/** p -= lr * g, in place. */
export function sgdStep(p: Mut, g: ArrayLike<number>, lr: number): void {
  for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
}

/** One Adam step at 1-based step t; updates p, m, v in place. */
export function adamStep(p: Mut, g: ArrayLike<number>, m: Mut, v: Mut, t: number, cfg: AdamConfig): void {
  const { lr, beta1, beta2, eps } = cfg;
  const c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    m[i] = beta1 * m[i] + (1 - beta1) * gi;
    v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
    const mhat = m[i] / c1, vhat = v[i] / c2;
    p[i] -= (lr * mhat) / (Math.sqrt(vhat) + eps);
  }
}
