// Metropolis-within-Gibbs imputation of a table (Mattei & Frellsen 2018, Algorithm 1), for
// comparison with the importance-weighted imputation and pseudo-Gibbs, on the GPU. Per batch of rows:
//   start:     z_0 ~ q(z | [x_obs | mask]) (the encoder as trained: missing cells 0 and unmarked),
//              forced accept; the missing cells drawn from p(x_mis | z_0); every cell then marked
//              observed (the encoder reads the completed row from here on).
//   iteration: z' ~ q(z | xhat); accept with probability min(1, rho),
//              log rho = log p(xhat | z') + log p(z') - log q(z' | xhat) - [the same at z_t],
//              p(xhat | .) the table likelihood of EVERY cell (shaders/mwg_table.wgsl), the accept
//              test mwg_accept.wgsl's `decide`; then x_mis ~ p(x_mis | z_{t+1}).
//   A Gibbs sampler whose z-step is an exact MH step (q does not depend on z: an independence
//   proposal), so its stationary law is p(z, x_mis | x_obs).
// Output: the Rao-Blackwellised average over the last ceil(T/2) iterations of the decoder's
// means (real columns) and class probabilities (binary, categorical; their mode is imputed), in
// encoded units. Observed cells are never written (the kernel's rule), and the caller keeps its own.
import { fail, requirePositiveInt } from '../errors.ts';
import type { Dispatch, GpuContext } from '../gpu/context.ts';
import { allocMatrix, writeMatrix } from '../gpu/matrix.ts';
import { runChain } from '../eval/mwg_chain.ts';
import { mwgDecide } from '../kernels/mwg_accept.ts';
import { mwgTableLogWeight, mwgTableRefill } from '../kernels/mwg_table.ts';
import { createTrainState, stepAdvance } from '../kernels/train_state.ts';
import { buildVae, type VaeConfig } from '../model/vae_gpu.ts';
import { extraView } from '../model/param_layout.ts';
import { modelParts } from '../parts/model.ts';
import { tableLayout, type TableColumnSpec } from '../parts/likelihood/table_layout.ts';

/** Apart from training (0...), the importance draws and the image MwG (0x60000000...). */
export const TABLE_MWG_STEP_OFFSET = 0x70000000;

export interface MwgRowsResult {
  /** (n, C) in encoded units: real columns' averaged means, the mode of the others */
  values: Float64Array;
  /** accepted proposals / proposals, over all rows (the forced start not counted) */
  acceptance: number;
}

/** Runs `iterations` MwG steps on each of the n rows of [x | mask] (n, 2D). */
export async function mwgRows(ctx: GpuContext, trained: VaeConfig, params: Float32Array, xm: Float32Array, n: number, iterations: number, batch = 256): Promise<MwgRowsResult> {
  requirePositiveInt('MwG iterations', iterations);
  requirePositiveInt('rows', n);
  if (trained.likelihood?.kind !== 'table') fail('MwG for tables needs a table model');
  const layout = tableLayout((trained.likelihood as { columns: TableColumnSpec[] }).columns);
  const D = layout.width, C = layout.columns.length;
  if (xm.length !== n * 2 * D) fail(`expected ${n} rows of ${2 * D} values ([x | mask]), got ${xm.length} values`);
  const B = Math.min(batch, n);
  const config: VaeConfig = { ...trained, batch: B };
  const vae = buildVae(ctx, config);
  if (params.byteLength !== vae.layout.bytes) fail(`weights hold ${params.byteLength} bytes but the model needs ${vae.layout.bytes}: another architecture?`);
  ctx.device.queue.writeBuffer(vae.params, 0, params);
  const L = config.shape.latent, seed = config.seed;
  const logvar = extraView(vae.params, vae.layout, 'mwg.logvar') ?? fail('a table model has learned log-variances');
  const state = createTrainState(ctx);
  const zCur = allocMatrix(ctx, B, L, 'mwg.z_cur');
  const logitsCur = allocMatrix(ctx, B, D, 'mwg.logits_cur');
  const terms = allocMatrix(ctx, B, 4, 'mwg.terms');
  const chain = allocMatrix(ctx, B, 4, 'mwg.chain');
  const miss = allocMatrix(ctx, B, D, 'mwg.miss');
  const acc = allocMatrix(ctx, B, D, 'mwg.acc');
  const table = { layout, xm: vae.x, logits: vae.logits, logitsCur, logvar };
  const propose: Dispatch[] = [
    ...vae.encodeEval, vae.sampler(state, seed), vae.reparamForward, ...vae.decodeEval,
    mwgTableLogWeight(ctx, modelParts(config).latent.noise, { ...table, h: vae.h, z: vae.z, zCur, terms }),
  ];
  const decideArgs = { state, terms, z: vae.z, zCur, chain };
  const start = mwgDecide(ctx, decideArgs, { seed, force: true });
  const decide = mwgDecide(ctx, decideArgs, { seed, force: false });
  const K = Math.ceil(iterations / 2);
  const refillArgs = { ...table, state, chain, miss, acc };
  const refill = mwgTableRefill(ctx, refillArgs, { seed, weight: 0 });
  const refillAvg = mwgTableRefill(ctx, refillArgs, { seed, weight: 1 / K });
  const advance = stepAdvance(ctx, state);

  const values = new Float64Array(n * C);
  let accepted = 0;
  for (let from = 0, b = 0; from < n; from += B, b++) {
    const rows = Math.min(B, n - from);
    const chunk = new Float32Array(B * 2 * D); // padding rows: nothing observed, nothing missing
    chunk.set(xm.subarray(from * 2 * D, (from + rows) * 2 * D));
    const missing = new Float32Array(B * D);
    for (let m = 0; m < rows; m++) for (let d = 0; d < D; d++) missing[m * D + d] = chunk[m * 2 * D + D + d] > 0.5 ? 0 : 1;
    writeMatrix(ctx, vae.x, chunk);
    writeMatrix(ctx, miss, missing);
    ctx.device.queue.writeBuffer(state, 0, new Uint32Array([TABLE_MWG_STEP_OFFSET + b * (iterations + 1), 0, 0, 0]));
    const { mean, counts } = await runChain(ctx, { propose, start, decide, refill, refillAvg, advance }, { chain, acc, logitsCur }, iterations);
    for (let m = 0; m < rows; m++) {
      accepted += counts[m * 4 + 2] - 1;
      layout.columns.forEach((col, c) => {
        const at = m * D + col.offset;
        if (col.type === 'real') values[(from + m) * C + c] = mean[at];
        else if (col.type === 'binary') values[(from + m) * C + c] = mean[at] > 0.5 ? 1 : 0;
        else {
          let best = 0;
          for (let k = 1; k < col.width; k++) if (mean[at + k] > mean[at + best]) best = k;
          values[(from + m) * C + c] = best;
        }
      });
    }
  }
  return { values, acceptance: accepted / (n * iterations) };
}
