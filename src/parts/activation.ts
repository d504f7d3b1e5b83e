// The network part's activation for the MLP's hidden layers: ReLU (the reference's) or LeakyReLU.
// Both are fused into the dense GEMMs (gemm_xwt's epilogue, gemm_dyw's mask) through one slope:
// 0 is ReLU. The CNN kernels (conv2d, batchnorm) take the same slope.
import { fail } from '../errors.ts';

export type Activation = { kind: 'relu' } | { kind: 'leaky-relu'; slope: number };

/** The hidden activation's negative slope: 0 for ReLU. */
export function activationSlope(config: { activation?: Activation }): number {
  const a = config.activation ?? { kind: 'relu' };
  if (a.kind === 'relu') return 0;
  if (a.kind === 'leaky-relu' && a.slope > 0 && a.slope < 1) return a.slope;
  return fail(`the activation is relu or leaky-relu with a slope in (0, 1), got ${JSON.stringify(a)}`);
}
