// The Metropolis-within-Gibbs imputer of Mattei & Frellsen (2018, Algorithm 1) on the GPU, over
// one batch of rows at a time. Per row, with mask m (1 = missing) and the completed image xhat
// (held in vae.x, the encoder input, whose observed pixels are never written):
//   start:     z_0 ~ q(z | masked x) (missing pixels 0), forced accept; x_miss_0 ~ p(x_miss | z_0).
//   iteration: h = encode(xhat); z' ~ q(z | h) (the model's family: normal, iid t or multivariate t);
//              log rho = [log p(xhat|z') + log p(z') - log q(z'|h)] - [log p(xhat|z_t) + log p(z_t) - log q(z_t|h)]
//              with p(xhat|.) the Bernoulli likelihood of the WHOLE completed image;
//              z_{t+1} = z' with probability min(1, rho) (u from Philox, seeded), else z_t;
//              x_miss ~ p(x_miss | z_{t+1}), one Bernoulli draw per missing pixel (Philox).
//   This is a Gibbs sampler whose z-step is an exact MH step for p(z | xhat) (q(.|h) does not
//   depend on z, so it is an independence proposal for that step); its stationary law is
//   p(z, x_miss | x_obs).
// log p(xhat | z_t) must be recomputed every iteration, since xhat changes even when z_t does not.
// The decoder output at z_t does not change, so it is kept in `logitsCur` (copied from the
// proposal's logits when a row accepts) instead of decoding z_t again: one (B, D) buffer and a
// copy instead of a second decoder pass per iteration.
// Output: the Rao-Blackwellised estimate of E[x_miss | x_obs], the average over the last
// ceil(T/2) iterations (the first half is burn-in) of the Bernoulli means sigmoid(decoder(z_t)) at
// the missing pixels; the caller puts the data's observed pixels back bit for bit.
// One submit per batch; each iteration encodes the encoder's and decoder's layers and 6 more dispatches.
import { requirePositiveInt } from '../errors.ts';
import { dispatchEncoder, encodeDispatches, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { allocMatrix, readMatrix, writeMatrix, type GpuMatrix } from '../gpu/matrix.ts';
import { mwgDecide, mwgRefill } from '../kernels/mwg_accept.ts';
import { mwgLogWeight } from '../kernels/mwg_log_weight.ts';
import { createTrainState, stepAdvance } from '../kernels/train_state.ts';
import type { GpuVae } from '../model/vae_gpu.ts';
import { modelParts } from '../parts/model.ts';

/** Keeps MwG noise apart from training (step 0...) and the evaluator's other draws (0x40000000...). */
export const MWG_STEP_OFFSET = 0x60000000;

export interface MwgBatchResult {
  /** (B, D) dense: the average Bernoulli mean at the missing pixels; observed pixels hold 0 */
  mean: Float32Array;
  /** accepted proposals per row, the forced start not counted */
  accepted: Float32Array;
}

export interface MwgChain {
  /** Runs T iterations on the batch now in `x` (masked images, missing = 0) with `mask` (0/1 floats). */
  run(x: Float32Array, mask: Float32Array, iterations: number, firstStep: number): Promise<MwgBatchResult>;
}

/** A chain's dispatches: the proposal (encode, draw, decode, log weights), the forced start, the
 *  accept/reject, the refill without and with averaging, the step advance. */
export interface ChainSteps {
  propose: Dispatch[];
  start: Dispatch;
  decide: Dispatch;
  refill: Dispatch;
  refillAvg: Dispatch;
  advance: Dispatch;
}

/** The start and `iterations` iterations in one submit, the last ceil(T/2) refills averaging;
 *  `chain`, `acc` and `logitsCur` are cleared first so no earlier batch leaks in (the start's log
 *  rho reads logitsCur, then is forced). Returns acc (the averages) and chain (row, 4) read back. */
export async function runChain(ctx: GpuContext, s: ChainSteps, m: { chain: GpuMatrix; acc: GpuMatrix; logitsCur: GpuMatrix }, iterations: number): Promise<{ mean: Float32Array; counts: Float32Array }> {
  const K = Math.ceil(iterations / 2);
  const enc = ctx.device.createCommandEncoder();
  for (const b of [m.chain, m.acc, m.logitsCur]) enc.clearBuffer(b.buffer);
  const passes = dispatchEncoder(enc);
  encodeDispatches(passes, [...s.propose, s.start, s.refill, s.advance]);
  for (let t = 1; t <= iterations; t++) encodeDispatches(passes, [...s.propose, s.decide, t > iterations - K ? s.refillAvg : s.refill, s.advance]);
  passes.end();
  ctx.device.queue.submit([enc.finish()]);
  return { mean: await readMatrix(ctx, m.acc), counts: await readMatrix(ctx, m.chain) };
}

export function createMwgChain(ctx: GpuContext, vae: GpuVae): MwgChain {
  const { batch: B, shape } = vae.config;
  const D = shape.encoder[0], L = shape.latent;
  const family = modelParts(vae.config).latent.noise;
  const state = createTrainState(ctx);
  const mask = allocMatrix(ctx, B, D, 'mwg.mask');
  const zCur = allocMatrix(ctx, B, L, 'mwg.z_cur');
  const logitsCur = allocMatrix(ctx, B, D, 'mwg.logits_cur'); // decoder output at zCur
  const terms = allocMatrix(ctx, B, 4, 'mwg.terms');
  const chain = allocMatrix(ctx, B, 4, 'mwg.chain');
  const acc: GpuMatrix = allocMatrix(ctx, B, D, 'mwg.acc');
  const seed = vae.config.seed;
  const propose: Dispatch[] = [
    ...vae.encodeEval,
    vae.sampler(state, seed),
    vae.reparamForward,
    ...vae.decodeEval,
    mwgLogWeight(ctx, family, { x: vae.x, logits: vae.logits, logitsCur, h: vae.h, z: vae.z, zCur, terms }),
  ];
  const decideArgs = { state, terms, z: vae.z, zCur, chain };
  const start = mwgDecide(ctx, decideArgs, { seed, force: true });
  const decide = mwgDecide(ctx, decideArgs, { seed, force: false });
  const refillArgs = { state, chain, logits: vae.logits, logitsCur, mask, xhat: vae.x, acc };
  const refill = mwgRefill(ctx, refillArgs, { seed, weight: 0 });
  const advance = stepAdvance(ctx, state);
  const averaging = new Map<number, Dispatch>(); // refill + accumulate, by the number averaged

  return {
    async run(x, maskValues, iterations, firstStep) {
      requirePositiveInt('MwG iterations', iterations);
      const K = Math.ceil(iterations / 2);
      let refillAvg = averaging.get(K);
      if (!refillAvg) averaging.set(K, (refillAvg = mwgRefill(ctx, refillArgs, { seed, weight: 1 / K })));
      writeMatrix(ctx, vae.x, x);
      writeMatrix(ctx, mask, maskValues);
      ctx.device.queue.writeBuffer(state, 0, new Uint32Array([firstStep, 0, 0, 0]));
      const { mean, counts } = await runChain(ctx, { propose, start, decide, refill, refillAvg, advance }, { chain, acc, logitsCur }, iterations);
      return { mean, accepted: Float32Array.from({ length: B }, (_, m) => counts[m * 4 + 2] - 1) };
    },
  };
}
