// Bernoulli decoder: the decoder's outputs are logits, the loss is the binary cross-entropy against
// x in [0, 1]. Kernel: shaders/bce_sigmoid.wgsl (reference: src/ref/bce.ts).
import { bceSigmoid } from '../../kernels/bce.ts';
import type { LikelihoodPart } from '../likelihood.ts';

export function bernoulliLikelihood(): LikelihoodPart {
  return {
    name: 'Bernoulli',
    output: 'logits',
    spec: { kind: 'bernoulli' },
    extraParams: () => 0,
    gpu: (ctx, a) => ({ loss: bceSigmoid(ctx, { logits: a.out, x: a.x, dLogits: a.dOut, rowLoss: a.rowLoss, scale: a.scale }) }),
  };
}
