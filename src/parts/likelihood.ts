// The likelihood part of a VAE: p(x | z) given the decoder's outputs, its per-row loss and
// gradients (its kernel; the float64 reference is src/ref/parts.ts's, keyed by `spec`), and any
// parameters of its own (a learned variance). One file per family under likelihood/; this is the one
// place that picks a family.
import { fail } from '../errors.ts';
import type { Dispatch, GpuContext } from '../gpu/context.ts';
import type { GpuMatrix } from '../gpu/matrix.ts';
import { bernoulliLikelihood } from './likelihood/bernoulli.ts';
import { gaussianLikelihood } from './likelihood/gaussian.ts';
import { tableLikelihood } from './likelihood/table.ts';
import type { TableColumnSpec } from './likelihood/table_layout.ts';

export type Likelihood =
  | { kind: 'bernoulli' }
  | { kind: 'gaussian'; variance: number | 'learned' }
  /** a table's columns (observed cells only; the data rows are [x | mask], see likelihood/table.ts) */
  | { kind: 'table'; columns: TableColumnSpec[] };

export interface LikelihoodPart {
  name: string;
  /** the family with its settings, as configured */
  spec: Likelihood;
  /** parameters of its own, as a vector of this length for D outputs (0: none) */
  extraParams(D: number): number;
  /** what the decoder's outputs mean: logits (sigmoid gives the pixel means) or the means themselves */
  output: 'logits' | 'mean';
  /** `rowWeights` (1, B): the importance-weighted bound's per-row weights, which its own parameters'
   *  gradient (extraGrad) must read; dOut is scaled by them afterwards (iw_weights.wgsl), not here */
  gpu(ctx: GpuContext, a: { out: GpuMatrix; x: GpuMatrix; dOut: GpuMatrix; rowLoss: GpuMatrix; scale: number; extra?: { values: GpuMatrix; grads: GpuMatrix }; rowWeights?: GpuMatrix }): { loss: Dispatch; extraGrad?: Dispatch };
}

export function likelihoodPart(l: Likelihood | undefined): LikelihoodPart {
  const spec = l ?? { kind: 'bernoulli' };
  if (spec.kind === 'bernoulli') return bernoulliLikelihood();
  if (spec.kind === 'gaussian') return gaussianLikelihood(spec.variance);
  if (spec.kind === 'table') return tableLikelihood(spec.columns);
  return fail(`unknown likelihood "${(spec as { kind: string }).kind}" (expected bernoulli, gaussian or table)`);
}
