// Gaussian decoder: the decoder's outputs are the mean, the loss is -log N(x | mean, diag(s^2)),
// s^2 fixed by the user or learned as one log-variance per output dimension (a parameter vector
// the optimizer updates with the weights, initialised to 0: unit variance).
// Kernel: shaders/gaussian_nll.wgsl (reference: src/ref/gaussian_nll.ts).
import { fail } from '../../errors.ts';
import { gaussianNll as gaussianNllKernel } from '../../kernels/gaussian_nll.ts';
import type { LikelihoodPart } from '../likelihood.ts';

export function gaussianLikelihood(variance: number | 'learned'): LikelihoodPart {
  if (variance !== 'learned' && !(typeof variance === 'number' && variance > 0 && Number.isFinite(variance))) {
    fail(`the Gaussian decoder's variance must be a number > 0 or "learned", got ${String(variance)}`);
  }
  const learned = variance === 'learned';
  return {
    name: learned ? 'Gaussian (learned variance)' : `Gaussian (variance ${variance})`,
    output: 'mean',
    spec: { kind: 'gaussian', variance },
    extraParams: (D) => (learned ? D : 0),
    gpu(ctx, a) {
      if (learned && !a.extra) fail('the learned-variance decoder needs its log-variance parameters');
      const k = gaussianNllKernel(ctx, {
        mean: a.out, x: a.x, dMean: a.dOut, rowLoss: a.rowLoss, scale: a.scale,
        variance: learned ? { logvar: a.extra!.values, dLogvar: a.extra!.grads } : (variance as number),
      });
      return { loss: k.loss, extraGrad: k.logvarGrad };
    },
  };
}
