// Probes for the parts added with the parts architecture: the full-covariance posterior, the
// Gaussian likelihood and the float gather, each run once on the page's device.
import type { GpuContext } from '../../src/gpu/context.ts';
import { runDispatches } from '../../src/gpu/context.ts';
import { allocMatrix, readMatrix } from '../../src/gpu/matrix.ts';
import { gatherBatch, uploadImages } from '../../src/kernels/gather.ts';
import { gaussianNll } from '../../src/kernels/gaussian_nll.ts';
import { concatOnehot } from '../../src/kernels/concat_onehot.ts';
import { createBuffer } from '../../src/gpu/matrix.ts';
import { createTrainState } from '../../src/kernels/train_state.ts';
import { reparamKlFull } from '../../src/kernels/reparam_kl_full.ts';
import { fullHeadSize, type FullKl } from '../../src/ref/reparam_kl_full.ts';
import { upload } from './kernel_probes.ts';
import { createBoundEvaluator } from '../../src/eval/bounds.ts';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import { packParams, type DenseValues } from '../../src/model/param_layout.ts';
import { modelLayout } from '../../src/parts/model.ts';
import { tableProbes } from './table_probes.ts';

export function partsProbes(ctx: GpuContext) {
  return {
    // the table likelihood's probes (the tables work) sit with the other likelihood parts'
    ...tableProbes(ctx),
    async concatOnehot(a: { M: number; K: number; C: number; src: Float32Array; labels: Uint32Array; ddst: Float32Array }) {
      const src = upload(ctx, a.M, a.K, a.src, 'src');
      const labels = createBuffer(ctx, a.M * 4, 'labels');
      ctx.device.queue.writeBuffer(labels, 0, a.labels);
      const dst = allocMatrix(ctx, a.M, a.K + a.C, 'dst');
      const ddst = upload(ctx, a.M, a.K + a.C, a.ddst, 'ddst');
      const dsrc = allocMatrix(ctx, a.M, a.K, 'dsrc');
      const k = concatOnehot(ctx, { src, labels, classes: a.C, dst, ddst, dsrc });
      runDispatches(ctx, [k.forward, k.backward!]);
      return { dst: await readMatrix(ctx, dst, true), dsrc: await readMatrix(ctx, dsrc, true) };
    },
    /** likelihood bounds, reconstructions and samples of a model with the given weights */
    async bounds(a: { config: VaeConfig; params: DenseValues[]; extra?: Float32Array; x: Float32Array; n: number; K: number; batch?: number }) {
      const layout = modelLayout(a.config);
      const block = packParams(layout, a.params);
      if (a.extra && layout.extra) block.set(a.extra, layout.extra.offset / 4);
      const ev = createBoundEvaluator(ctx, a.config, block, a.batch ?? 64);
      const b = await ev.bounds(a.x, a.n, a.K);
      return { ...b, recon: await ev.reconstruct(a.x, a.n), samples: await ev.generate(a.n) };
    },
    /** the f32 form of gather_batch: real-valued points picked by an order */
    async gatherF32(a: { values: Float32Array; count: number; D: number; B: number; order: Uint32Array; step: number; epochStart: number }) {
      const set = uploadImages(ctx, new Uint8Array(a.values.buffer, a.values.byteOffset, a.values.byteLength), a.count, a.D, 'set', 'f32');
      ctx.device.queue.writeBuffer(set.order, 0, a.order);
      const x = allocMatrix(ctx, a.B, a.D, 'x');
      const g = gatherBatch(ctx, { set, state: createTrainState(ctx, a.step), x });
      g.setEpochStart(a.epochStart);
      runDispatches(ctx, [g.dispatch]);
      return { x: await readMatrix(ctx, x, true) };
    },
    async reparamFull(a: { M: number; L: number; kl: FullKl; h: Float32Array; eps: Float32Array; dz: Float32Array; scale: number }) {
      const H = fullHeadSize(a.L);
      const h = upload(ctx, a.M, H, a.h, 'h');
      const eps = upload(ctx, 1, a.M * a.L, a.eps, 'eps');
      const dz = upload(ctx, a.M, a.L, a.dz, 'dz');
      const z = allocMatrix(ctx, a.M, a.L, 'z');
      const kl = allocMatrix(ctx, 1, a.M, 'kl');
      const dh = allocMatrix(ctx, a.M, H, 'dh');
      const k = reparamKlFull(ctx, a.kl, { h, eps, z, kl, dz, dh }, a.scale);
      runDispatches(ctx, [k.forward, k.backward]);
      return { z: await readMatrix(ctx, z, true), kl: await readMatrix(ctx, kl), dh: await readMatrix(ctx, dh, true) };
    },
    async gaussianNll(a: { M: number; D: number; mean: Float32Array; x: Float32Array; scale: number; variance?: number; logvar?: Float32Array }) {
      const mean = upload(ctx, a.M, a.D, a.mean, 'mean');
      const x = upload(ctx, a.M, a.D, a.x, 'x');
      const dMean = allocMatrix(ctx, a.M, a.D, 'dMean');
      const rowLoss = allocMatrix(ctx, 1, a.M, 'rowLoss');
      const lv = a.logvar ? upload(ctx, 1, a.D, a.logvar, 'logvar') : undefined;
      const dLv = allocMatrix(ctx, 1, a.D, 'dLogvar');
      const k = gaussianNll(ctx, { mean, x, dMean, rowLoss, scale: a.scale, variance: lv ? { logvar: lv, dLogvar: dLv } : a.variance! });
      runDispatches(ctx, [k.loss, ...(k.logvarGrad ? [k.logvarGrad] : [])]);
      return { rowLoss: await readMatrix(ctx, rowLoss), grad: await readMatrix(ctx, dMean, true), gradLogvar: lv ? await readMatrix(ctx, dLv, true) : undefined };
    },
  };
}
