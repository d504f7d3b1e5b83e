// Whole-model probes: build a GPU VAE, load given weights, input and noise, and return the loss
// rows and every gradient (or the weights after some training steps).
import { dispatchEncoder, encodeDispatches, runDispatches, type GpuContext } from '../../src/gpu/context.ts';
import { createBuffer, readBytes, readMatrix, writeMatrix } from '../../src/gpu/matrix.ts';
import { lossAccumulate, stepAdvance } from '../../src/kernels/train_state.ts';
import { buildVae, type VaeConfig } from '../../src/model/vae_gpu.ts';
import { packParams, unpackExtra, unpackParams, type DenseValues } from '../../src/model/param_layout.ts';

export function modelProbes(ctx: GpuContext) {
  return {
    /** `extra`: the likelihood's own parameters (learned log-variances), when it has any */
    async vaeGradients(a: { config: VaeConfig; params: DenseValues[]; x: Float32Array; eps: Float32Array; extra?: Float32Array; labels?: Uint32Array }) {
      const vae = buildVae(ctx, a.config);
      const block = packParams(vae.layout, a.params);
      if (a.extra && vae.layout.extra) block.set(a.extra, vae.layout.extra.offset / 4);
      ctx.device.queue.writeBuffer(vae.params, 0, block);
      writeMatrix(ctx, vae.x, a.x);
      writeMatrix(ctx, vae.eps, a.eps);
      if (a.labels && vae.labels) ctx.device.queue.writeBuffer(vae.labels, 0, a.labels);
      runDispatches(ctx, [...vae.forward, ...vae.backward]);
      const gradBlock = new Float32Array(await readBytes(ctx, vae.grads, 0, vae.layout.bytes));
      const grads = unpackParams(vae.layout, gradBlock);
      return { re: await readMatrix(ctx, vae.reRows), kl: await readMatrix(ctx, vae.klRows), grads, gradExtra: unpackExtra(vae.layout, gradBlock) };
    },
    /** `steps` SGD/Adam steps on fixed x with the given eps per step (no sampling). */
    async vaeSteps(a: { config: VaeConfig; params: DenseValues[]; x: Float32Array; eps: Float32Array[] }) {
      const vae = buildVae(ctx, a.config);
      ctx.device.queue.writeBuffer(vae.params, 0, packParams(vae.layout, a.params));
      writeMatrix(ctx, vae.x, a.x);
      const sums = createBuffer(ctx, 16, 'sums');
      const finish = [lossAccumulate(ctx, { re: vae.reRows, kl: vae.klRows, sums }), vae.update, stepAdvance(ctx, vae.state)];
      const losses: number[] = [];
      for (const eps of a.eps) {
        writeMatrix(ctx, vae.eps, eps);
        ctx.device.queue.writeBuffer(sums, 0, new Float32Array(4));
        const enc = ctx.device.createCommandEncoder();
        const passes = dispatchEncoder(enc);
        encodeDispatches(passes, [...vae.forward, ...vae.backward, ...finish]);
        passes.end();
        ctx.device.queue.submit([enc.finish()]);
        const s = new Float32Array(await readBytes(ctx, sums, 0, 16));
        losses.push((s[0] + s[1]) / s[2]);
      }
      const params = unpackParams(vae.layout, new Float32Array(await readBytes(ctx, vae.params, 0, vae.layout.bytes)));
      return { losses, params };
    },
  };
}
