// Launcher for shaders/gaussian_nll.wgsl: the Gaussian decoder's loss rows and gradients, with a
// fixed variance or a learned log-variance per output dimension.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createUniform, type GpuMatrix } from '../gpu/matrix.ts';

export interface GaussianNllArgs {
  mean: GpuMatrix;
  x: GpuMatrix;
  dMean: GpuMatrix;
  rowLoss: GpuMatrix;
  scale: number;
  /** a fixed variance for every dimension, or the learned log-variances (1, D) and their gradient */
  variance: number | { logvar: GpuMatrix; dLogvar: GpuMatrix };
}

/** `loss`: rows and dMean; `logvarGrad` (learned variance only): dLogvar, to run after `loss`. */
export function gaussianNll(ctx: GpuContext, a: GaussianNllArgs): { loss: Dispatch; logvarGrad?: Dispatch } {
  const label = 'gaussian_nll';
  const M = a.mean.rows, D = a.mean.cols;
  for (const m of [a.x, a.dMean]) if (m.rows !== M || m.cols !== D) fail(`${label}: ${m.label} is ${m.rows}x${m.cols} but the decoder mean is ${M}x${D}`);
  if (a.rowLoss.cols !== M) fail(`${label}: row losses hold ${a.rowLoss.cols} entries but the batch has ${M} rows`);
  if (!Number.isFinite(a.scale)) fail(`${label}: gradient scale must be finite, got ${a.scale}`);
  const learned = typeof a.variance !== 'number';
  if (typeof a.variance === 'number' && !(a.variance > 0 && Number.isFinite(a.variance))) fail(`${label}: the decoder variance must be finite and > 0, got ${a.variance}`);
  if (typeof a.variance !== 'number') {
    for (const m of [a.variance.logvar, a.variance.dLogvar]) if (m.rows !== 1 || m.cols !== D) fail(`${label}: ${m.label} is ${m.rows}x${m.cols}, expected 1x${D}`);
  }
  const logvar = typeof a.variance === 'number' ? Math.log(a.variance) : 0;
  const params = createUniform(ctx, `${label}.params`, [['u32', M], ['u32', D], ['u32', a.mean.ld], ['f32', a.scale], ['f32', logvar], ['u32', 0], ['u32', 0], ['u32', 0]]);
  const constants = { LEARNED: learned ? 1 : 0 };
  const main = ctx.pipeline(label, 'main', constants);
  // lv is statically used whatever LEARNED is, so a fixed variance binds the mean in its place
  // (read-only twice is allowed; the kernel never reads lv then)
  const lv = typeof a.variance === 'number' ? binding(a.mean) : binding(a.variance.logvar);
  const loss: Dispatch = {
    label,
    pipeline: main,
    bindGroup: bindGroup(ctx, main, [{ buffer: params }, binding(a.mean), binding(a.x), binding(a.dMean), binding(a.rowLoss), lv], label),
    workgroups: [Math.ceil(M / 64), 1, 1],
  };
  if (typeof a.variance === 'number') return { loss };
  const g = ctx.pipeline(label, 'logvar_grad', constants);
  return {
    loss,
    logvarGrad: {
      label: `${label}.logvar_grad`,
      pipeline: g,
      bindGroup: bindGroup(ctx, g, { 0: { buffer: params }, 1: binding(a.mean), 2: binding(a.x), 5: lv, 6: binding(a.variance.dLogvar) }, label),
      workgroups: [Math.ceil(a.mean.ld / 4 / 64), 1, 1],
    },
  };
}
