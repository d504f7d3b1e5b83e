// The project's float64 CPU reference (src/ref/vae.ts) trained with SGD, timed in Node: the
// third column of the end-to-end table. Same shape, batch, noise kind and loss as the GPU step.
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { forwardBackward, initParams, lossOnly } from '../src/ref/vae.ts';
import { createRng } from '../src/rng.ts';
import { syntheticImages, toUnit } from './synthetic.ts';

export interface CpuTiming {
  stepMs: number;
  validMs: number;
  steps: number;
  /** mean batch loss over the timed steps (compare with the GPU sides) */
  meanLoss: number;
}

/** Standard normal noise, or t(nu) as the GPU sampler draws it: N / sqrt(chi2_nu / nu). */
function noise(config: VaeConfig, n: number, r: ReturnType<typeof createRng>): Float64Array {
  const eps = Float64Array.from({ length: n }, () => r.normal());
  if (config.prior.kind === 'gaussian') return eps;
  const nu = config.prior.nu;
  for (let i = 0; i < n; i++) {
    let chi2 = 0; // integer nu only (the bench uses 21); the GPU uses Marsaglia-Tsang
    for (let k = 0; k < nu; k++) chi2 += r.normal() ** 2;
    eps[i] /= Math.sqrt(chi2 / nu);
  }
  return eps;
}

export function cpuStepTiming(config: VaeConfig, steps: number): CpuTiming {
  const B = config.batch, D = config.shape.encoder[0], L = config.shape.latent;
  const r = createRng(config.seed);
  const params = initParams(config.shape, () => r.normal(), 0.1);
  const x = toUnit(syntheticImages(B, D));
  const lr = config.optimizer.lr;
  let lossSum = 0;
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    const res = forwardBackward(params, config.shape, x, noise(config, B * L, r), B, config.prior);
    lossSum += res.loss;
    res.grads.forEach((g, i) => {
      for (let k = 0; k < g.w.length; k++) params[i].w[k] -= lr * g.w[k];
      for (let k = 0; k < g.b.length; k++) params[i].b[k] -= lr * g.b[k];
    });
  }
  const stepMs = (performance.now() - t0) / steps;
  const t1 = performance.now();
  lossOnly(params, config.shape, x, noise(config, B * L, r), B, config.prior);
  return { stepMs, validMs: performance.now() - t1, steps, meanLoss: lossSum / steps };
}
