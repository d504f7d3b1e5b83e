// The GPU half of imputing a table: K draws z_k ~ q(z | x_obs) per row from a trained table model,
// each with its log importance weight log p(x_obs | z) + log p(z) - log q(z | x_obs) = -(RE + KL)
// (the model rebuilt with the one-sample KL for a Gaussian prior, as src/eval/bounds.ts does, so
// each KL row is log q - log p at the draw) and the decoder outputs. All K draws of a batch are
// encoded into one submit and read back once. The weighting is src/tables/impute_math.ts.
import { fail, requirePositiveInt } from '../errors.ts';
import { dispatchEncoder, encodeDispatches, type GpuContext } from '../gpu/context.ts';
import { createBuffer, readBytes, writeMatrix } from '../gpu/matrix.ts';
import { createTrainState, stepAdvance } from '../kernels/train_state.ts';
import { buildVae, type VaeConfig } from '../model/vae_gpu.ts';
import { unpackExtra } from '../model/param_layout.ts';
import { outputWidth } from '../model/shape.ts';
import { sirImpute, snisImpute, type Draws } from './impute_math.ts';
import { tableLayout, type TableColumnSpec } from '../parts/likelihood/table_layout.ts';
import { createRng } from '../rng.ts';

const IMPUTE_STEP_OFFSET = 0x60000000; // apart from training, evaluation, bounds and MwG noise

export function createTableDrawer(ctx: GpuContext, trained: VaeConfig, params: Float32Array, batch = 256) {
  requirePositiveInt('imputation batch', batch);
  if (trained.likelihood?.kind !== 'table') fail('imputing a table needs a table model');
  const config: VaeConfig = { ...trained, batch, ...(trained.prior.kind === 'gaussian' ? { kl: 'mc' as const } : {}) };
  const vae = buildVae(ctx, config);
  if (params.byteLength !== vae.layout.bytes) fail(`weights hold ${params.byteLength} bytes but the model needs ${vae.layout.bytes}: another architecture?`);
  ctx.device.queue.writeBuffer(vae.params, 0, params);
  const Din = config.shape.encoder[0], D = outputWidth(config.shape);
  const state = createTrainState(ctx, IMPUTE_STEP_OFFSET);
  const sampler = vae.sampler(state, config.seed);
  const advance = stepAdvance(ctx, state);
  const outBytes = batch * vae.logits.ld * 4, rowBytes = batch * 4;
  return {
    /** the learned log-variances (D) */
    logvar: unpackExtra(vae.layout, params),
    /** K draws for each of the n rows of [x | mask] (n, 2D) */
    async draws(xm: Float32Array, n: number, K: number): Promise<Draws> {
      requirePositiveInt('rows', n);
      requirePositiveInt('importance samples K', K);
      if (xm.length !== n * Din) fail(`expected ${n} rows of ${Din} values ([x | mask]), got ${xm.length} values`);
      const logW = new Float64Array(n * K), out = new Float32Array(K * n * D);
      const per = outBytes + 2 * rowBytes;
      const staging = createBuffer(ctx, K * per, 'impute.draws');
      try {
        for (let start = 0; start < n; start += batch) {
          const rows = Math.min(batch, n - start);
          const chunk = new Float32Array(batch * Din); // padding rows: nothing observed
          chunk.set(xm.subarray(start * Din, (start + rows) * Din));
          writeMatrix(ctx, vae.x, chunk);
          const enc = ctx.device.createCommandEncoder();
          for (let k = 0; k < K; k++) {
            const passes = dispatchEncoder(enc);
            encodeDispatches(passes, [sampler, ...vae.evalForward, advance]);
            passes.end();
            enc.copyBufferToBuffer(vae.logits.buffer, vae.logits.offset, staging, k * per, outBytes);
            enc.copyBufferToBuffer(vae.reRows.buffer, vae.reRows.offset, staging, k * per + outBytes, rowBytes);
            enc.copyBufferToBuffer(vae.klRows.buffer, vae.klRows.offset, staging, k * per + outBytes + rowBytes, rowBytes);
          }
          ctx.device.queue.submit([enc.finish()]);
          const v = new Float32Array(await readBytes(ctx, staging, 0, K * per));
          const ld = vae.logits.ld, f = per / 4;
          for (let k = 0; k < K; k++) {
            for (let m = 0; m < rows; m++) {
              const re = v[k * f + outBytes / 4 + m], kl = v[k * f + outBytes / 4 + batch + m];
              logW[(start + m) * K + k] = -(re + kl);
              for (let d = 0; d < D; d++) out[(k * n + start + m) * D + d] = v[k * f + m * ld + d];
            }
          }
        }
      } finally {
        staging.destroy();
      }
      return { n, K, D, logW, out };
    },
  };
}

export interface ImputeRowsResult {
  /** (n, C) single imputation in encoded units (standardised reals, level indices) */
  values: Float64Array;
  /** (n) effective sample size of each row's K weights */
  ess: Float64Array;
  /** M tables (n, C) drawn by sampling-importance-resampling (empty for M = 0) */
  multiple: Float64Array[];
}

/** Draws and weighs in one call (what the worker serves, so only (n, C) values travel back). */
export async function imputeRows(
  ctx: GpuContext, config: VaeConfig, params: Float32Array, xm: Float32Array, n: number, o: { K: number; M: number; seed: number },
): Promise<ImputeRowsResult> {
  if (!Number.isInteger(o.M) || o.M < 0) fail(`the number of imputed tables must be an integer >= 0, got ${o.M}`);
  const layout = tableLayout((config.likelihood as { columns: TableColumnSpec[] }).columns);
  const drawer = createTableDrawer(ctx, config, params);
  const d = await drawer.draws(xm, n, o.K);
  const { values, ess } = snisImpute(layout, d);
  const multiple = o.M ? sirImpute(layout, d, drawer.logvar, o.M, createRng(o.seed)) : [];
  return { values, ess, multiple };
}

/** Pseudo-Gibbs (Rezende et al. 2014), for comparison: the missing cells start at 0 (a real
 *  column's mean, no level), then each round draws z ~ q(z | x_filled) with every cell marked
 *  observed and refills the missing cells with the decoder's expected values (a real column's
 *  mean, a binary column's probability, a categorical column's probabilities). Returns (n, C) in
 *  encoded units: the last round's means, the mode for binary and categorical columns. */
export async function pseudoGibbsRows(ctx: GpuContext, config: VaeConfig, params: Float32Array, xm: Float32Array, n: number, rounds: number): Promise<Float64Array> {
  requirePositiveInt('pseudo-Gibbs rounds', rounds);
  const layout = tableLayout((config.likelihood as { columns: TableColumnSpec[] }).columns);
  const D = layout.width, C = layout.columns.length;
  if (xm.length !== n * 2 * D) fail(`expected ${n} rows of ${2 * D} values ([x | mask]), got ${xm.length} values`);
  const drawer = createTableDrawer(ctx, config, params);
  const filled = xm.slice();
  for (let i = 0; i < n; i++) filled.fill(1, i * 2 * D + D, (i + 1) * 2 * D);
  const values = new Float64Array(n * C);
  for (let round = 0; round < rounds; round++) {
    const d = await drawer.draws(filled, n, 1);
    for (let i = 0; i < n; i++) {
      layout.columns.forEach((col, c) => {
        const at = i * 2 * D + col.offset, o = i * D + col.offset;
        if (xm[at + D] > 0.5) return;
        if (col.type === 'real') {
          filled[at] = values[i * C + c] = d.out[o];
        } else if (col.type === 'binary') {
          const p = 1 / (1 + Math.exp(-d.out[o]));
          filled[at] = p;
          values[i * C + c] = p > 0.5 ? 1 : 0;
        } else {
          let top = -Infinity;
          for (let k = 0; k < col.width; k++) top = Math.max(top, d.out[o + k]);
          let z = 0;
          for (let k = 0; k < col.width; k++) z += Math.exp(d.out[o + k] - top);
          let best = 0;
          for (let k = 0; k < col.width; k++) {
            filled[at + k] = Math.exp(d.out[o + k] - top) / z;
            if (d.out[o + k] > d.out[o + best]) best = k;
          }
          values[i * C + c] = best;
        }
      });
    }
  }
  return values;
}
