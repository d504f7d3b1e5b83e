// Probes of the importance-weighted bound (MIWAE): shaders/iw_weights.wgsl alone, the weighted
// backward entry points (reparam_kl_* backward_weighted, table_nll logvar_grad_weighted), and a whole
// table model built with the bound (its loss rows, weights and every gradient, as vaeGradients).
import { runDispatches, type GpuContext } from '../../src/gpu/context.ts';
import { allocMatrix, readBytes, readMatrix, writeMatrix } from '../../src/gpu/matrix.ts';
import { iwWeights } from '../../src/kernels/iw_weights.ts';
import { reparamKl, type Prior } from '../../src/kernels/reparam.ts';
import { tableNll } from '../../src/kernels/table_nll.ts';
import { buildVae, type VaeConfig } from '../../src/model/vae_gpu.ts';
import { packParams, unpackExtra, unpackParams, type DenseValues } from '../../src/model/param_layout.ts';
import { tableLayout, type TableColumnSpec } from '../../src/parts/likelihood/table_layout.ts';
import { createTrainer, type EpochStats } from '../../src/train/trainer.ts';
import { upload } from './kernel_probes.ts';

export function iwProbes(ctx: GpuContext) {
  return {
    /** re, kl (G K); dOut (G K, D) scaled in place */
    async iwWeights(a: { G: number; K: number; D: number; re: Float32Array; kl: Float32Array; dOut: Float32Array }) {
      const M = a.G * a.K;
      const dOut = upload(ctx, M, a.D, a.dOut, 'dOut');
      const weights = upload(ctx, 1, M, new Float32Array(M).fill(7), 'weights');
      const boundRe = upload(ctx, 1, a.G, new Float32Array(a.G).fill(7), 'boundRe');
      const boundKl = upload(ctx, 1, a.G, new Float32Array(a.G).fill(7), 'boundKl');
      runDispatches(ctx, [iwWeights(ctx, { K: a.K, re: upload(ctx, 1, M, a.re, 're'), kl: upload(ctx, 1, M, a.kl, 'kl'), weights, dOut, boundRe, boundKl })]);
      return { weights: await readMatrix(ctx, weights), dOut: await readMatrix(ctx, dOut), boundRe: await readMatrix(ctx, boundRe), boundKl: await readMatrix(ctx, boundKl) };
    },
    async reparamWeighted(a: { M: number; L: number; prior: Prior; h: Float32Array; eps: Float32Array; dz: Float32Array; scale: number; rowWeights: Float32Array }) {
      const h = upload(ctx, a.M, 2 * a.L, a.h, 'h');
      const eps = upload(ctx, 1, a.M * a.L, a.eps, 'eps');
      const dz = upload(ctx, a.M, a.L, a.dz, 'dz');
      const z = allocMatrix(ctx, a.M, a.L, 'z');
      const kl = allocMatrix(ctx, 1, a.M, 'kl');
      const dh = allocMatrix(ctx, a.M, 2 * a.L, 'dh');
      const k = reparamKl(ctx, a.prior, { h, eps, z, kl, dz, dh }, a.scale, upload(ctx, 1, a.M, a.rowWeights, 'rowWeights'));
      runDispatches(ctx, [k.forward, k.backward]);
      return { kl: await readMatrix(ctx, kl), dh: await readMatrix(ctx, dh) };
    },
    async tableNllWeighted(a: { M: number; columns: TableColumnSpec[]; out: Float32Array; xm: Float32Array; logvar: Float32Array; scale: number; rowWeights: Float32Array }) {
      const layout = tableLayout(a.columns);
      const D = layout.width;
      const dLogvar = upload(ctx, 1, D, new Float32Array(D).fill(7), 'dLogvar');
      const k = tableNll(ctx, {
        layout, out: upload(ctx, a.M, D, a.out, 'out'), xm: upload(ctx, a.M, 2 * D, a.xm, 'xm'), dOut: allocMatrix(ctx, a.M, D, 'dOut'), rowLoss: allocMatrix(ctx, 1, a.M, 'rowLoss'),
        scale: a.scale, logvar: upload(ctx, 1, D, a.logvar, 'logvar'), dLogvar, rowWeights: upload(ctx, 1, a.M, a.rowWeights, 'rowWeights'),
      });
      runDispatches(ctx, [k.loss, k.logvarGrad]);
      return { gradLogvar: await readMatrix(ctx, dLogvar) };
    },
    /** A model trained on the bound with K draws per row: x (B K rows, each data row K times) and eps
     *  (B K, L) given; one forward and backward. */
    async vaeIwGradients(a: { config: VaeConfig; K: number; params: DenseValues[]; x: Float32Array; eps: Float32Array; extra?: Float32Array }) {
      const vae = buildVae(ctx, a.config, { iw: a.K });
      const block = packParams(vae.layout, a.params);
      if (a.extra && vae.layout.extra) block.set(a.extra, vae.layout.extra.offset / 4);
      ctx.device.queue.writeBuffer(vae.params, 0, block);
      writeMatrix(ctx, vae.x, a.x);
      writeMatrix(ctx, vae.eps, a.eps);
      runDispatches(ctx, [...vae.forward, ...vae.backward]);
      const gradBlock = new Float32Array(await readBytes(ctx, vae.grads, 0, vae.layout.bytes));
      return {
        re: await readMatrix(ctx, vae.reRows), kl: await readMatrix(ctx, vae.klRows), weights: await readMatrix(ctx, vae.iw!.weights),
        boundRe: await readMatrix(ctx, vae.lossRe), boundKl: await readMatrix(ctx, vae.lossKl),
        grads: unpackParams(vae.layout, gradBlock), gradExtra: unpackExtra(vae.layout, gradBlock),
      };
    },
    /** The trainer with config.iw on a table's rows [x | mask] (count, 2D), as tableInit builds it:
     *  each epoch's statistics, the model input x after the last step (the last validation batch)
     *  and the order buffers the trainer created (label and bytes). */
    async iwTrain(a: { config: VaeConfig; rows: Float32Array; count: number; epochs: number }) {
      const set = { pixels: new Uint8Array(a.rows.buffer, a.rows.byteOffset, a.rows.byteLength), count: a.count, D: a.config.shape.encoder[0], format: 'f32' as const };
      const orders: { label: string; size: number }[] = [];
      const create = ctx.device.createBuffer.bind(ctx.device);
      ctx.device.createBuffer = (d: GPUBufferDescriptor) => {
        if (d.label?.endsWith('.order')) orders.push({ label: d.label, size: d.size });
        return create(d);
      };
      let trainer;
      try {
        trainer = createTrainer(ctx, a.config, { train: set, valid: set });
      } finally {
        ctx.device.createBuffer = create;
      }
      const stats: EpochStats[] = [];
      for (let e = 0; e < a.epochs; e++) stats.push(await trainer.runEpoch());
      return { stats, stepsPerEpoch: trainer.stepsPerEpoch, x: await readMatrix(ctx, trainer.vae.x), orders };
    },
  };
}
