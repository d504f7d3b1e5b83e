// Likelihood bounds and decoder outputs of a trained VAE on the GPU, for any parts: per test
// point, the negative ELBO (mean over K draws of -log p(x|z) + log q(z|x) - log p(z)) and the
// importance-weighted estimate -log p(x) ~ -log (1/K sum_k p(x|z_k) p(z_k) / q(z_k|x)), z_k ~ q
// (Burda et al. 2016; K = 100 or more makes it close). Gaussian posteriors are rebuilt with the
// one-sample KL so that each draw's KL row is log q - log p. Also: reconstructions (one z ~ q) and
// samples (z ~ p), both as raw decoder outputs (logits or means, as the likelihood says). Every
// forward here is the evaluation-mode one: a CNN's batch norm uses its running statistics.
import { fail, requirePositiveInt } from '../errors.ts';
import { dispatchEncoder, encodeDispatches, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { createBuffer, readBytes, readMatrix, writeMatrix } from '../gpu/matrix.ts';
import { createTrainState, stepAdvance } from '../kernels/train_state.ts';
import { buildVae, type VaeConfig } from '../model/vae_gpu.ts';
import { packedWeightsVae } from './packed_weights.ts';

/** `labels` (n): the class of each point, for conditional models (required there, ignored otherwise). */
export interface BoundEvaluator {
  /** per point: negative ELBO and the importance-weighted -log p(x), from K draws each, and the
   *  estimate's standard error by the delta method, sd(w) / (mean(w) sqrt(K)) */
  bounds(x: Float32Array, n: number, K: number, labels?: Uint32Array): Promise<{ nelbo: Float64Array; iw: Float64Array; iwSe: Float64Array }>;
  /** decoder outputs for one z ~ q(z | x) per point */
  reconstruct(x: Float32Array, n: number, labels?: Uint32Array): Promise<Float32Array>;
  /** decoder outputs for z ~ p(z) */
  generate(n: number, labels?: Uint32Array): Promise<Float32Array>;
  /** the posterior means mu(x) (n, L) */
  encodeMeans(x: Float32Array, n: number, labels?: Uint32Array): Promise<Float32Array>;
  /** decoder outputs for given z (n, L) */
  decode(z: Float32Array, n: number, labels?: Uint32Array): Promise<Float32Array>;
  /** the evaluator's copy of the weights (scoring must leave it as given: no batch-norm running
   *  statistics written) and the last noise draw (batch, L), so a check can redo a bound in float64 */
  inspect(): Promise<{ params: Float32Array; eps: Float32Array }>;
}

const BOUND_STEP_OFFSET = 0x50000000; // apart from training (0), evaluation (0x40000000) and MwG noise

export function createBoundEvaluator(ctx: GpuContext, trained: VaeConfig, params: Float32Array, batch = 500): BoundEvaluator {
  requirePositiveInt('evaluation batch', batch);
  const config: VaeConfig = { ...trained, batch, ...(trained.prior.kind === 'gaussian' ? { kl: 'mc' as const } : {}) };
  // the weights are packed once, not before every layer of every draw
  const packed = packedWeightsVae(ctx, buildVae(ctx, config));
  const vae = packed.vae;
  if (params.byteLength !== vae.layout.bytes) fail(`weights hold ${params.byteLength} bytes but the model needs ${vae.layout.bytes}: another architecture?`);
  packed.setParams(params);
  const D = config.shape.encoder[0];
  const state = createTrainState(ctx, BOUND_STEP_OFFSET);
  const sampler = vae.sampler(state, config.seed);
  const advance = stepAdvance(ctx, state);

  const L = config.shape.latent;
  function upload(x: Float32Array, start: number, rows: number): void {
    const chunk = new Float32Array(batch * D);
    chunk.set(x.subarray(start * D, (start + rows) * D));
    writeMatrix(ctx, vae.x, chunk);
  }
  function uploadLabels(labels: Uint32Array | undefined, n: number, start: number, rows: number): void {
    if (!vae.labels) return;
    if (!labels || labels.length !== n) fail(`a conditional model needs one label per point (${n}), got ${labels?.length ?? 'none'}`);
    const chunk = new Uint32Array(batch);
    chunk.set(labels.subarray(start, start + rows));
    ctx.device.queue.writeBuffer(vae.labels, 0, chunk);
  }
  async function run(dispatches: Dispatch[]): Promise<void> {
    const enc = ctx.device.createCommandEncoder();
    const passes = dispatchEncoder(enc);
    encodeDispatches(passes, dispatches);
    passes.end();
    ctx.device.queue.submit([enc.finish()]);
  }

  async function decodeOnce(encode: boolean): Promise<Float32Array> {
    const enc = ctx.device.createCommandEncoder();
    const passes = dispatchEncoder(enc);
    if (encode) encodeDispatches(passes, vae.encodeEval);
    encodeDispatches(passes, [sampler, vae.reparamForward, ...vae.decodeEval, advance]);
    passes.end();
    ctx.device.queue.submit([enc.finish()]);
    return readMatrix(ctx, vae.logits);
  }

  /** `f` per batch of points (a short last batch padded and cut off); its first rows x width values stacked. */
  async function perBatch(n: number, width: number, f: (start: number, rows: number) => Promise<Float32Array>): Promise<Float32Array> {
    const res = new Float32Array(n * width);
    for (let start = 0; start < n; start += batch) {
      const rows = Math.min(batch, n - start);
      res.set((await f(start, rows)).subarray(0, rows * width), start * width);
    }
    return res;
  }

  const checkX = (x: Float32Array, n: number) => {
    requirePositiveInt('number of points', n);
    if (x.length !== n * D) fail(`expected ${n} points of ${D} values, got ${x.length} values`);
  };

  return {
    async bounds(x, n, K, labels) {
      checkX(x, n);
      requirePositiveInt('importance samples K', K);
      const nelbo = new Float64Array(n), iw = new Float64Array(n), iwSe = new Float64Array(n);
      const rowsBytes = batch * 4;
      const out = createBuffer(ctx, 2 * K * rowsBytes, 'bounds.rows');
      for (let start = 0; start < n; start += batch) {
        const rows = Math.min(batch, n - start);
        upload(x, start, rows);
        uploadLabels(labels, n, start, rows);
        const enc = ctx.device.createCommandEncoder();
        for (let k = 0; k < K; k++) {
          const passes = dispatchEncoder(enc);
          // evaluation mode: batch norm normalises with the running statistics it learned, not with this
          // batch (whose padding rows would enter them), and writes nothing back into the parameters
          encodeDispatches(passes, [sampler, ...vae.evalForward, advance]);
          passes.end();
          enc.copyBufferToBuffer(vae.reRows.buffer, vae.reRows.offset, out, 2 * k * rowsBytes, rowsBytes);
          enc.copyBufferToBuffer(vae.klRows.buffer, vae.klRows.offset, out, (2 * k + 1) * rowsBytes, rowsBytes);
        }
        ctx.device.queue.submit([enc.finish()]);
        const v = new Float32Array(await readBytes(ctx, out, 0, 2 * K * rowsBytes));
        for (let m = 0; m < rows; m++) {
          // log w_k = -(RE_k + KL_k); logsumexp in float64 around the largest weight
          let max = -Infinity, sum = 0;
          for (let k = 0; k < K; k++) max = Math.max(max, -(v[2 * k * batch + m] + v[(2 * k + 1) * batch + m]));
          let mean = 0, sum2 = 0;
          for (let k = 0; k < K; k++) {
            const loss = v[2 * k * batch + m] + v[(2 * k + 1) * batch + m];
            mean += loss / K;
            const w = Math.exp(-loss - max);
            sum += w;
            sum2 += w * w;
          }
          nelbo[start + m] = mean;
          iw[start + m] = -(max + Math.log(sum / K));
          const wm = sum / K;
          iwSe[start + m] = Math.sqrt(Math.max(sum2 / K - wm * wm, 0) / K) / wm;
        }
      }
      out.destroy();
      return { nelbo, iw, iwSe };
    },
    reconstruct(x, n, labels) {
      checkX(x, n);
      return perBatch(n, D, async (start, rows) => {
        upload(x, start, rows);
        uploadLabels(labels, n, start, rows);
        return decodeOnce(true);
      });
    },
    generate(n, labels) {
      requirePositiveInt('number of samples', n);
      return perBatch(n, D, async (start, rows) => {
        uploadLabels(labels, n, start, rows);
        // mu = 0, logvar = 0 (and no off-diagonal): z is the noise itself, drawn from the prior
        ctx.device.queue.writeBuffer(vae.h.buffer, vae.h.offset, new Float32Array(batch * vae.h.ld));
        return decodeOnce(false);
      });
    },
    encodeMeans(x, n, labels) {
      checkX(x, n);
      return perBatch(n, L, async (start, rows) => {
        upload(x, start, rows);
        uploadLabels(labels, n, start, rows);
        await run(vae.encodeEval);
        const h = await readMatrix(ctx, vae.h), mu = new Float32Array(rows * L);
        for (let m = 0; m < rows; m++) mu.set(h.subarray(m * vae.h.cols, m * vae.h.cols + L), m * L);
        return mu;
      });
    },
    decode(z, n, labels) {
      requirePositiveInt('number of latent points', n);
      if (z.length !== n * L) fail(`expected ${n} latent points of ${L} values, got ${z.length} values`);
      return perBatch(n, D, async (start, rows) => {
        const chunk = new Float32Array(batch * L);
        chunk.set(z.subarray(start * L, (start + rows) * L));
        writeMatrix(ctx, vae.z, chunk);
        uploadLabels(labels, n, start, rows);
        await run(vae.decodeEval);
        return readMatrix(ctx, vae.logits);
      });
    },
    async inspect() {
      return { params: new Float32Array(await readBytes(ctx, vae.params, 0, vae.layout.bytes)), eps: await readMatrix(ctx, vae.eps) };
    },
  };
}
