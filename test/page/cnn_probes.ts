// Whole-CNN-VAE probe: build the GPU model, load a parameter block (running statistics included),
// x and eps; run one training-mode forward + backward, then one evaluation-mode forward; return the
// loss rows and outputs of both, the gradient block and the block after the training forward (its
// running statistics updated by the batch).
import { runDispatches, type GpuContext } from '../../src/gpu/context.ts';
import { readBytes, readMatrix, writeMatrix } from '../../src/gpu/matrix.ts';
import { buildVae, type VaeConfig } from '../../src/model/vae_gpu.ts';
import { createBoundEvaluator } from '../../src/eval/bounds.ts';

export function cnnProbes(ctx: GpuContext) {
  return {
    async cnnVae(a: { config: VaeConfig; block: Float32Array; x: Float32Array; eps: Float32Array }) {
      const vae = buildVae(ctx, a.config);
      ctx.device.queue.writeBuffer(vae.params, 0, a.block);
      writeMatrix(ctx, vae.x, a.x);
      writeMatrix(ctx, vae.eps, a.eps);
      const bytes = vae.layout.bytes;
      runDispatches(ctx, [...vae.forward, ...vae.backward]);
      const train = { re: await readMatrix(ctx, vae.reRows), kl: await readMatrix(ctx, vae.klRows), logits: await readMatrix(ctx, vae.logits) };
      const grads = new Float32Array(await readBytes(ctx, vae.grads, 0, bytes));
      const afterTrain = new Float32Array(await readBytes(ctx, vae.params, 0, bytes));
      runDispatches(ctx, vae.evalForward);
      const evaluation = { re: await readMatrix(ctx, vae.reRows), kl: await readMatrix(ctx, vae.klRows), logits: await readMatrix(ctx, vae.logits) };
      const afterEval = new Float32Array(await readBytes(ctx, vae.params, 0, bytes));
      return { train, evaluation, grads, afterTrain, afterEval };
    },
    /** bounds() of a CNN with the given parameter block, then the evaluator's weights and last noise */
    async cnnBounds(a: { config: VaeConfig; block: Float32Array; x: Float32Array; n: number; K: number; batch: number }) {
      const ev = createBoundEvaluator(ctx, a.config, a.block, a.batch);
      const b = await ev.bounds(a.x, a.n, a.K);
      return { ...b, ...(await ev.inspect()) };
    },
  };
}
