// Shared set-ups of the table-VAE and MIWAE tests: a small mixed-type table layout, seeded
// [x | mask] rows with holes, the model configuration, seeded weights, and central finite
// differences over every weight, bias and learned log-variance of a float64 model, and the GPU
// model's loss rows and gradients against the float64 model's.
import assert from 'node:assert/strict';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import { modelLayers, modelParts } from '../../src/parts/model.ts';
import { tableLayout, type TableColumnSpec } from '../../src/parts/likelihood/table_layout.ts';
import { initParams, type Dense } from '../../src/ref/vae.ts';
import { createRng } from '../../src/rng.ts';
import { assertClose, uniformArray } from './compare.ts';

/** real, categorical (3 levels), binary, real: D = 6 decoder outputs */
export const TABLE_COLUMNS: TableColumnSpec[] = [{ type: 'real', width: 1 }, { type: 'categorical', width: 3 }, { type: 'binary', width: 1 }, { type: 'real', width: 1 }];
export const TABLE_D = tableLayout(TABLE_COLUMNS).width;

/** Seeded [x | mask] rows (B, 2D) for `columns`: each cell missing with probability `missing`
 *  (x = 0 there, as the reader leaves it; a categorical's mask covers its K positions); `hole`
 *  forces one cell missing as well. */
export function tableRows(B: number, seed: number, o: { columns?: TableColumnSpec[]; missing?: number; hole?: { row: number; column: number } } = {}): Float64Array {
  const L = tableLayout(o.columns ?? TABLE_COLUMNS), D = L.width, r = createRng(seed), missing = o.missing ?? 0.35;
  const xm = new Float64Array(B * 2 * D);
  for (let m = 0; m < B; m++) {
    for (const [i, c] of L.columns.entries()) {
      if (r.next() < missing || (m === o.hole?.row && i === o.hole.column)) continue;
      const at = m * 2 * D + c.offset;
      xm.fill(1, at + D, at + D + c.width);
      if (c.type === 'real') xm[at] = r.normal();
      else if (c.type === 'binary') xm[at] = r.int(2);
      else xm[at + r.int(c.width)] = 1;
    }
  }
  return xm;
}

/** The masked MLP with the table likelihood over TABLE_COLUMNS, SGD, seed 1. */
export function tableConfigOf(hidden: number, B: number, prior: VaeConfig['prior'], o: { latent?: number; kl?: 'mc' } = {}): VaeConfig {
  return {
    shape: { encoder: [2 * TABLE_D, hidden], latent: o.latent ?? 2, decoder: [hidden, TABLE_D], masked: true }, prior, ...(o.kl ? { kl: o.kl } : {}),
    likelihood: { kind: 'table', columns: TABLE_COLUMNS }, batch: B, optimizer: { kind: 'sgd', lr: 0.01 }, seed: 1,
  };
}

/** Seeded weights (normal, times `std`), small biases, and the likelihood's extra parameters
 *  (learned log-variances) uniform in [-0.5, 0.5]; `extra` is undefined when the model has none. */
export function seededWeights(config: VaeConfig, seed: number, std: number): { params: Dense[]; extra: Float32Array | undefined } {
  const r = createRng(seed);
  const head = modelLayers(config)[config.shape.encoder.length - 1].out;
  const params = initParams(config.shape, () => r.normal(), std, head, config.classes ?? 0);
  for (const l of params) for (let i = 0; i < l.b.length; i++) l.b[i] = 0.05 * r.normal();
  const n = modelParts(config).likelihood.extraParams(config.shape.decoder.at(-1)!);
  return { params, extra: n ? uniformArray(n, seed + 3, -0.5, 0.5) : undefined };
}

/** Central finite differences (step 1e-6) of `loss` against the analytic gradients, for every
 *  weight, bias and extra parameter: |fd - analytic| <= 1e-6 + 1e-5 |analytic|. */
export function checkFiniteDifferences(
  params: Dense[], extra: Float64Array | undefined,
  loss: (p: Dense[], e: Float64Array | undefined) => number,
  grads: { w: ArrayLike<number>; b: ArrayLike<number> }[], gradExtra: ArrayLike<number> | undefined,
): void {
  const h = 1e-6, check = (fd: number, an: number, what: string) => assert.ok(Math.abs(fd - an) <= 1e-6 + 1e-5 * Math.abs(an), `${what}: fd ${fd} vs analytic ${an}`);
  params.forEach((l, k) => {
    for (const which of ['w', 'b'] as const) {
      for (let i = 0; i < l[which].length; i++) {
        const old = l[which][i];
        l[which][i] = old + h; const lp = loss(params, extra);
        l[which][i] = old - h; const lm = loss(params, extra);
        l[which][i] = old;
        check((lp - lm) / (2 * h), grads[k][which][i], `layer ${k} ${which}[${i}]`);
      }
    }
  });
  if (!extra) return;
  for (let i = 0; i < extra.length; i++) {
    const p = Float64Array.from(extra), m = Float64Array.from(extra);
    p[i] += h; m[i] -= h;
    check((loss(params, p) - loss(params, m)) / (2 * h), gradExtra![i], `log-variance ${i}`);
  }
}

export type GpuGradients = { re: Float32Array; kl: Float32Array; grads: { w: Float32Array; b: Float32Array }[]; gradExtra: Float32Array };

/** The GPU model's loss rows and gradients against the float64 model's: rows 1e-3 + 1e-4 |ref|,
 *  each gradient tensor 2e-3 max|ref| + 1e-3 |ref|; no extra parameters: none on the GPU either. */
export function assertGradientsClose(gpu: GpuGradients, ref: { reRows: ArrayLike<number>; klRows: ArrayLike<number>; grads: { w: ArrayLike<number>; b: ArrayLike<number> }[]; gradExtra?: ArrayLike<number> }): void {
  assertClose(gpu.re, ref.reRows, { atol: 1e-3, rtol: 1e-4 }, 'RE rows');
  assertClose(gpu.kl, ref.klRows, { atol: 1e-3, rtol: 1e-4 }, 'KL rows');
  const tol = (v: ArrayLike<number>) => ({ atol: 2e-3 * Math.max(...Array.from(v, Math.abs)), rtol: 1e-3 });
  ref.grads.forEach((g, i) => {
    assertClose(gpu.grads[i].w, g.w, tol(g.w), `layer ${i} dW`);
    assertClose(gpu.grads[i].b, g.b, tol(g.b), `layer ${i} db`);
  });
  if (ref.gradExtra) assertClose(gpu.gradExtra, ref.gradExtra, tol(ref.gradExtra), 'd log-variance');
  else assert.equal(gpu.gradExtra.length, 0);
}
