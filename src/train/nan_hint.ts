// What most likely made the loss NaN or infinite, for the error that stops training.
import type { VaeConfig } from '../model/vae_gpu.ts';

/** Below this nu the t prior's noise N / sqrt(chi2_nu / nu) overflows float32 now and then
 *  (chi2 draws underflow to 0), whatever the learning rate. */
const TINY_NU = 0.5;

export function nanHint(config: Pick<VaeConfig, 'prior' | 'optimizer'>): string {
  if (config.prior.kind === 't' && config.prior.nu < TINY_NU) {
    return `nu = ${config.prior.nu} is very small: the t prior's noise overflows float32; try a larger --nu (the reference uses 21)`;
  }
  return `try a smaller learning rate than --lr ${config.optimizer.lr}`;
}
