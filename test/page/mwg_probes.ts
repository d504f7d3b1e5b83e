// Page-side probes for the Metropolis-within-Gibbs kernels: dense inputs from Node, outputs back
// (padded where a test checks that observed pixels and padding are left alone).
import { runDispatches, type GpuContext } from '../../src/gpu/context.ts';
import { allocMatrix, readMatrix } from '../../src/gpu/matrix.ts';
import { mwgDecide, mwgRefill } from '../../src/kernels/mwg_accept.ts';
import { mwgLogWeight, type LatentFamily } from '../../src/kernels/mwg_log_weight.ts';
import { createTrainState } from '../../src/kernels/train_state.ts';
import { createEvaluator } from '../../src/eval/gpu_eval.ts';
import { buildVae, type VaeConfig } from '../../src/model/vae_gpu.ts';
import { packParams, type DenseValues } from '../../src/model/param_layout.ts';
import { upload } from './kernel_probes.ts';
import { describeChoices, emptyKernelTable } from '../../src/tune/table.ts';

export function mwgProbes(ctx: GpuContext) {
  return {
    /** The evaluator's MwG on a model with the given weights; `warmup` predicts first, to show that
     *  earlier calls do not change the chain. */
    async mwgEvaluate(a: { config: VaeConfig; params: DenseValues[]; x: Float32Array; mask: Uint8Array; n: number; iterations: number; batch: number; warmup?: boolean }) {
      const layout = buildVae(ctx, { ...a.config, batch: 1 }).layout;
      const ev = createEvaluator(ctx, a.config, packParams(layout, a.params), a.batch);
      if (a.warmup) await ev.predict(a.x, a.n, 2);
      return ev.metropolisWithinGibbs(a.x, a.mask, a.n, a.iterations);
    },
    /** The evaluator under one forced gemm_xwt variant: predictions (and MwG images) with the
     *  weights `first`, then after setParams(`second`); the kernels it built, in one line. */
    async evalWeightsSwap(a: { config: VaeConfig; first: DenseValues[]; second: DenseValues[]; x: Float32Array; mask: Uint8Array; n: number; draws: number; iterations: number; batch: number; variant: string }) {
      const own = { ...ctx, kernels: emptyKernelTable([`gemm_xwt=${a.variant}`]) };
      const layout = buildVae(own, { ...a.config, batch: 1 }).layout;
      const ev = createEvaluator(own, a.config, packParams(layout, a.first), a.batch);
      const first = await ev.predict(a.x, a.n, a.draws);
      const firstMwg = (await ev.metropolisWithinGibbs(a.x, a.mask, a.n, a.iterations)).images;
      ev.setParams(packParams(layout, a.second));
      const second = await ev.predict(a.x, a.n, a.draws);
      const secondMwg = (await ev.metropolisWithinGibbs(a.x, a.mask, a.n, a.iterations)).images;
      return { first, firstMwg, second, secondMwg, kernels: describeChoices(own.kernels) };
    },
    async mwgLogWeight(a: {
      family: LatentFamily; M: number; D: number; L: number;
      x: Float32Array; logits: Float32Array; logitsCur: Float32Array; h: Float32Array; z: Float32Array; zCur: Float32Array;
    }) {
      const terms = allocMatrix(ctx, a.M, 4, 'terms');
      runDispatches(ctx, [mwgLogWeight(ctx, a.family, {
        x: upload(ctx, a.M, a.D, a.x, 'x'),
        logits: upload(ctx, a.M, a.D, a.logits, 'logits'),
        logitsCur: upload(ctx, a.M, a.D, a.logitsCur, 'logitsCur'),
        h: upload(ctx, a.M, 2 * a.L, a.h, 'h'),
        z: upload(ctx, a.M, a.L, a.z, 'z'),
        zCur: upload(ctx, a.M, a.L, a.zCur, 'zCur'),
        terms,
      })]);
      return { terms: await readMatrix(ctx, terms) };
    },
    /** decide then refill, once, at one step */
    async mwgAccept(a: {
      M: number; L: number; D: number; seed: number; step: number; force: boolean; weight: number;
      terms: Float32Array; z: Float32Array; zCur: Float32Array; chain: Float32Array;
      logits: Float32Array; logitsCur: Float32Array; mask: Float32Array; xhat: Float32Array; acc: Float32Array;
    }) {
      const state = createTrainState(ctx, a.step);
      const zCur = upload(ctx, a.M, a.L, a.zCur, 'zCur');
      const chain = upload(ctx, a.M, 4, a.chain, 'chain');
      const xhat = upload(ctx, a.M, a.D, a.xhat, 'xhat');
      const acc = upload(ctx, a.M, a.D, a.acc, 'acc');
      const logits = upload(ctx, a.M, a.D, a.logits, 'logits');
      const logitsCur = upload(ctx, a.M, a.D, a.logitsCur, 'logitsCur');
      const mask = upload(ctx, a.M, a.D, a.mask, 'mask');
      const decide = mwgDecide(ctx, { state, terms: upload(ctx, a.M, 4, a.terms, 'terms'), z: upload(ctx, a.M, a.L, a.z, 'z'), zCur, chain }, { seed: a.seed, force: a.force });
      runDispatches(ctx, [decide, mwgRefill(ctx, { state, chain, logits, logitsCur, mask, xhat, acc }, { seed: a.seed, weight: a.weight })]);
      return {
        zCur: await readMatrix(ctx, zCur, true),
        chain: await readMatrix(ctx, chain),
        xhat: await readMatrix(ctx, xhat, true),
        acc: await readMatrix(ctx, acc, true),
        logitsCur: await readMatrix(ctx, logitsCur, true),
      };
    },
  };
}
