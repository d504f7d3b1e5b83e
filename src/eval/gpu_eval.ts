// Inference with a trained VAE on the GPU: reconstructions, the mean of K decoder outputs for
// (masked) inputs, samples from the prior, the pseudo-Gibbs iterative imputer and the
// Metropolis-within-Gibbs imputer (mwg_chain.ts). Evaluation is
// not the training hot path: inputs are uploaded and outputs read back once per batch.
import { fail, requirePositiveInt } from '../errors.ts';
import { dispatchEncoder, encodeDispatches, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { allocMatrix, readMatrix, writeMatrix } from '../gpu/matrix.ts';
import { sigmoidAccumulate } from '../kernels/sigmoid_accumulate.ts';
import { createTrainState, stepAdvance } from '../kernels/train_state.ts';
import { buildVae, type VaeConfig } from '../model/vae_gpu.ts';
import { applyMask, imputeWith } from './masks.ts';
import { createMwgChain, MWG_STEP_OFFSET } from './mwg_chain.ts';
import { packedWeightsVae } from './packed_weights.ts';

export interface Evaluator {
  /** Mean of `draws` decoder outputs (Bernoulli means) for each input row, a fresh z each. */
  predict(x: Float32Array, n: number, draws: number): Promise<Float32Array>;
  /** Decoder means for z drawn from the prior (normal or t, as the model's noise). */
  samples(n: number): Promise<Float32Array>;
  /** Pseudo-Gibbs: `rounds` times, re-encode the completed image and refill the missing pixels
   *  with the mean of `draws` decoder outputs. Returns the completed images. */
  pseudoGibbs(x: Float32Array, mask: Uint8Array, n: number, rounds: number, draws: number): Promise<Float32Array>;
  /** Metropolis-within-Gibbs (Mattei & Frellsen 2018, Algorithm 1; an exact sampler of
   *  p(z, x_miss | x_obs)), `iterations` steps from z_0 ~ q(z | masked x): at the missing pixels the
   *  Bernoulli means sigmoid(decoder(z_t)) averaged over the last ceil(iterations / 2) steps (the
   *  Rao-Blackwellised E[x_miss | x_obs]), observed pixels bit-identical to x, and the fraction of
   *  proposals accepted. Depends only on the inputs and the model's seed (not on earlier calls). */
  metropolisWithinGibbs(x: Float32Array, mask: Uint8Array, n: number, iterations: number): Promise<MwgResult>;
  /** New weights for the same architecture (a model trained further): rewrites the parameter
   *  buffer, so an evaluator built once serves every epoch without rebuilding its pipelines. */
  setParams(params: Float32Array): void;
}

export interface MwgResult {
  images: Float32Array;
  acceptance: number;
}

const EVAL_STEP_OFFSET = 0x40000000; // keeps evaluation noise apart from training noise of one seed

export function createEvaluator(ctx: GpuContext, trained: VaeConfig, params: Float32Array, batch = 500): Evaluator {
  requirePositiveInt('evaluation batch', batch);
  const config = { ...trained, batch };
  // the weights are packed once per setParams, not before every layer of every draw
  const packed = packedWeightsVae(ctx, buildVae(ctx, config));
  const vae = packed.vae;
  // predictions average sigmoid(logits) and MwG weighs by the Bernoulli likelihood
  if (vae.output !== 'logits') fail('the imputation protocol needs a Bernoulli decoder (this model has a Gaussian one)');
  // its imputers encode and decode without labels; the latent-size study scores conditional models
  if (config.classes) fail('the imputation protocol (npm run eval) does not take a conditional model yet; npm start -- --study latent-size scores it');
  const setParams = (p: Float32Array) => {
    if (p.byteLength !== vae.layout.bytes) fail(`weights hold ${p.byteLength} bytes but the model needs ${vae.layout.bytes}: another architecture?`);
    packed.setParams(p);
  };
  setParams(params);
  const D = config.shape.encoder[0];
  const state = createTrainState(ctx, EVAL_STEP_OFFSET);
  const sampler = vae.sampler(state, config.seed);
  const acc = allocMatrix(ctx, batch, D, 'eval.acc');
  const advance = stepAdvance(ctx, state);
  const mwg = createMwgChain(ctx, vae);

  async function run(encode: boolean, draws: number): Promise<Float32Array> {
    const accumulate = sigmoidAccumulate(ctx, { logits: vae.logits, acc, weight: 1 / draws });
    const enc = ctx.device.createCommandEncoder();
    enc.clearBuffer(acc.buffer);
    const passes = dispatchEncoder(enc);
    if (encode) encodeDispatches(passes, vae.encodeEval);
    const one: Dispatch[] = [sampler, vae.reparamForward, ...vae.decodeEval, accumulate, advance];
    for (let k = 0; k < draws; k++) encodeDispatches(passes, one);
    passes.end();
    ctx.device.queue.submit([enc.finish()]);
    return readMatrix(ctx, acc);
  }

  /** Runs `f` over rows in batches; a short last batch is padded with zero rows and cut off. */
  async function batched(n: number, input: Float32Array | undefined, f: () => Promise<Float32Array>): Promise<Float32Array> {
    const out = new Float32Array(n * D);
    for (let start = 0; start < n; start += batch) {
      const rows = Math.min(batch, n - start);
      if (input) {
        const chunk = new Float32Array(batch * D);
        chunk.set(input.subarray(start * D, (start + rows) * D));
        writeMatrix(ctx, vae.x, chunk);
      }
      out.set((await f()).subarray(0, rows * D), start * D);
    }
    return out;
  }

  const predict = (x: Float32Array, n: number, draws: number) => {
    if (x.length !== n * D) fail(`expected ${n} images of ${D} pixels, got ${x.length} values`);
    requirePositiveInt('number of decoder draws', draws);
    return batched(n, x, () => run(true, draws));
  };

  return {
    predict,
    setParams,
    async samples(n) {
      requirePositiveInt('number of samples', n);
      // mu = 0, logvar = 0: z is the noise itself, drawn from the prior's distribution
      return batched(n, undefined, async () => {
        ctx.device.queue.writeBuffer(vae.h.buffer, vae.h.offset, new Float32Array(batch * vae.h.ld));
        return run(false, 1);
      });
    },
    async pseudoGibbs(x, mask, n, rounds, draws) {
      requirePositiveInt('pseudo-Gibbs rounds', rounds);
      if (mask.length !== x.length) fail(`mask has ${mask.length} entries but the images have ${x.length}`);
      let current = x;
      for (let r = 0; r < rounds; r++) current = imputeWith(x, await predict(current, n, draws), mask);
      return current;
    },
    async metropolisWithinGibbs(x, mask, n, iterations) {
      requirePositiveInt('MwG iterations', iterations);
      if (x.length !== n * D) fail(`expected ${n} images of ${D} pixels, got ${x.length} values`);
      if (mask.length !== x.length) fail(`mask has ${mask.length} entries but the images have ${x.length}`);
      const masked = applyMask(x, mask);
      const out = new Float32Array(n * D);
      let accepted = 0;
      for (let start = 0, b = 0; start < n; start += batch, b++) {
        const rows = Math.min(batch, n - start);
        // a short last batch is padded with fully observed zero rows; their results are cut off
        const chunk = new Float32Array(batch * D), maskChunk = new Float32Array(batch * D);
        chunk.set(masked.subarray(start * D, (start + rows) * D));
        maskChunk.set(mask.subarray(start * D, (start + rows) * D));
        // each batch its own step range, so rows of different batches draw different noise
        const r = await mwg.run(chunk, maskChunk, iterations, MWG_STEP_OFFSET + b * (iterations + 1));
        out.set(r.mean.subarray(0, rows * D), start * D);
        for (let m = 0; m < rows; m++) accepted += r.accepted[m];
      }
      return { images: imputeWith(x, out, mask), acceptance: accepted / (n * iterations) };
    },
  };
}
