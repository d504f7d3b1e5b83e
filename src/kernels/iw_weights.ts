// Launcher for shaders/iw_weights.wgsl: the importance-weighted bound (MIWAE) of groups of K
// replicas, their self-normalised weights, and each replica's upstream gradient scaled by its weight.
import { fail, requirePositiveInt } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createUniform, type GpuMatrix } from '../gpu/matrix.ts';

export interface IwWeightsArgs {
  /** replicas per group (importance samples per data row) */
  K: number;
  /** per-replica row losses (1, G K): the likelihood's -log p(x_obs | z) and the one-sample KL */
  re: GpuMatrix;
  kl: GpuMatrix;
  /** out: the self-normalised weights (1, G K) */
  weights: GpuMatrix;
  /** the likelihood's gradient wrt the decoder output (G K, D), scaled in place */
  dOut: GpuMatrix;
  /** out (1, G): the group's mean re and bound - mean re (loss_accumulate's two sums) */
  boundRe: GpuMatrix;
  boundKl: GpuMatrix;
}

export function iwWeights(ctx: GpuContext, a: IwWeightsArgs): Dispatch {
  const label = 'iw_weights';
  requirePositiveInt('importance samples K', a.K);
  const M = a.re.cols;
  if (M % a.K !== 0) fail(`${label}: ${M} rows are not groups of K = ${a.K}`);
  const G = M / a.K;
  for (const m of [a.kl, a.weights]) if (m.rows !== 1 || m.cols !== M) fail(`${label}: ${m.label} is ${m.rows}x${m.cols}, expected 1x${M}`);
  for (const m of [a.boundRe, a.boundKl]) if (m.rows !== 1 || m.cols !== G) fail(`${label}: ${m.label} is ${m.rows}x${m.cols}, expected 1x${G}`);
  if (a.dOut.rows !== M) fail(`${label}: ${a.dOut.label} has ${a.dOut.rows} rows, expected ${M}`);
  const params = createUniform(ctx, `${label}.params`, [['u32', G], ['u32', a.K], ['u32', a.dOut.cols], ['u32', a.dOut.ld]]);
  const pipeline = ctx.pipeline(label, 'main');
  return {
    label, pipeline,
    bindGroup: bindGroup(ctx, pipeline, [{ buffer: params }, ...[a.re, a.kl, a.weights, a.dOut, a.boundRe, a.boundKl].map(binding)], label),
    workgroups: [Math.ceil(G / 64), 1, 1],
  };
}
