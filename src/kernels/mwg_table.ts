// Launchers for shaders/mwg_table.wgsl: a table model's Metropolis-within-Gibbs terms per row
// (`log_weight`, under the mixed table likelihood of every cell) and the Gibbs step for its missing
// cells (`refill`: a draw per cell from p(x | zCur), the running average of the means and
// probabilities). The accept/reject between them is mwg_accept.wgsl's `decide`, unchanged.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createBuffer, createUniform, type GpuMatrix } from '../gpu/matrix.ts';
import { KIND_CODE, type TableLayout } from '../parts/likelihood/table_layout.ts';
import type { Family as LatentFamily } from '../parts/latent/family.ts';
import { seedKey, validateNoise } from './sampler.ts';

const MODE = { normal: 0, t: 1, 'multivariate-t': 2 } as const;

export interface TableChainBuffers {
  layout: TableLayout;
  /** rows [xhat | mask] (M, 2D): the completed rows, the encoder's input */
  xm: GpuMatrix;
  /** decoder output at the proposal and at the chain state (M, D) */
  logits: GpuMatrix;
  logitsCur: GpuMatrix;
  /** learned log-variances (1, D), read at real columns */
  logvar: GpuMatrix;
}

export interface TableLogWeightBuffers extends TableChainBuffers {
  /** encoding of the completed rows (M, 2L) */
  h: GpuMatrix;
  z: GpuMatrix;
  zCur: GpuMatrix;
  /** (M, 4): likRatio, wProp, wCur, 0 */
  terms: GpuMatrix;
}

export interface TableRefillBuffers extends TableChainBuffers {
  /** training-style state: its first u32 is the step (decide's counter) */
  state: GPUBuffer;
  /** (M, 4) from decide: (log rho, accepted now, count, 0) */
  chain: GpuMatrix;
  /** (M, D): 1 at every position of a cell missing in the data */
  miss: GpuMatrix;
  /** (M, D) running average of the means (real) and probabilities (binary, each level) */
  acc: GpuMatrix;
}

type Fields = { M: number; L: number; ldH: number; ldZ: number; seed: number; stepOffset: number; weight: number; nu: number };

function check(label: string, b: TableChainBuffers): { M: number; D: number; C: number } {
  const D = b.layout.width, C = b.layout.columns.length, M = b.logits.rows;
  if (b.xm.rows !== M || b.xm.cols !== 2 * D) fail(`${label}: ${b.xm.label} is ${b.xm.rows}x${b.xm.cols}, expected ${M}x${2 * D} ([x | mask])`);
  for (const m of [b.logits, b.logitsCur]) if (m.rows !== M || m.cols !== D) fail(`${label}: ${m.label} is ${m.rows}x${m.cols}, expected ${M}x${D}`);
  if (b.logvar.rows !== 1 || b.logvar.cols !== D) fail(`${label}: ${b.logvar.label} is ${b.logvar.rows}x${b.logvar.cols}, expected 1x${D}`);
  return { M, D, C };
}

function uniform(ctx: GpuContext, label: string, b: TableChainBuffers, f: Fields): GPUBuffer {
  const [k0, k1] = seedKey(f.seed);
  return createUniform(ctx, label, [
    ['u32', b.logits.rows], ['u32', b.layout.width], ['u32', f.L], ['u32', b.layout.columns.length],
    ['u32', b.xm.ld], ['u32', b.logits.ld], ['u32', f.ldH], ['u32', f.ldZ],
    ['u32', k0], ['u32', k1], ['u32', f.stepOffset], ['f32', f.weight],
    ['f32', f.nu], ['u32', 0], ['u32', 0], ['u32', 0],
  ]);
}

function columnsBuffer(ctx: GpuContext, layout: TableLayout, label: string): GPUBuffer {
  const info = new Uint32Array(layout.columns.length * 4);
  layout.columns.forEach((c, i) => info.set([KIND_CODE[c.type], c.offset, c.width, 0], i * 4));
  const cols = createBuffer(ctx, info.byteLength, `${label}.cols`);
  ctx.device.queue.writeBuffer(cols, 0, info);
  return cols;
}

export function mwgTableLogWeight(ctx: GpuContext, family: LatentFamily, b: TableLogWeightBuffers): Dispatch {
  const label = 'mwg_table.log_weight';
  validateNoise(family);
  const { M } = check(label, b);
  const L = b.z.cols;
  for (const m of [b.z, b.zCur]) if (m.rows !== M || m.cols !== L) fail(`${label}: ${m.label} is ${m.rows}x${m.cols}, expected ${M}x${L}`);
  if (b.h.rows !== M || b.h.cols !== 2 * L) fail(`${label}: encoder output is ${b.h.rows}x${b.h.cols}, expected ${M}x${2 * L}`);
  if (b.terms.rows !== M || b.terms.cols !== 4) fail(`${label}: terms is ${b.terms.rows}x${b.terms.cols}, expected ${M}x4`);
  const pipeline = ctx.pipeline('mwg_table', 'log_weight', { MODE: MODE[family.kind] });
  const params = uniform(ctx, `${label}.params`, b, { M, L, ldH: b.h.ld, ldZ: b.z.ld, seed: 0, stepOffset: 0, weight: 0, nu: family.kind === 'normal' ? 0 : family.nu });
  return {
    label: `${label}(${family.kind})`,
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, {
      0: { buffer: params }, 2: binding(b.xm), 3: binding(b.logits), 4: binding(b.logitsCur), 5: binding(b.h), 6: binding(b.z),
      7: binding(b.zCur), 8: binding(b.terms), 9: binding(b.logvar), 10: { buffer: columnsBuffer(ctx, b.layout, label) },
    }, label),
    workgroups: [Math.ceil(M / 64), 1, 1],
  };
}

/** `weight` != 0 also adds weight times the draws' means and probabilities to acc. `seed` and
 *  `stepOffset` must be decide's (the draws then use counters no other kernel does). */
export function mwgTableRefill(ctx: GpuContext, b: TableRefillBuffers, o: { seed: number; stepOffset?: number; weight: number }): Dispatch {
  const label = 'mwg_table.refill';
  const { M, D } = check(label, b);
  for (const m of [b.miss, b.acc]) if (m.rows !== M || m.cols !== D || m.ld !== b.logits.ld) fail(`${label}: ${m.label} is ${m.rows}x${m.cols}, expected ${M}x${D} laid out as the logits`);
  if (b.logitsCur.ld !== b.logits.ld) fail(`${label}: ${b.logitsCur.label} is laid out unlike the logits`);
  if (b.chain.rows !== M || b.chain.cols !== 4) fail(`${label}: ${b.chain.label} is ${b.chain.rows}x${b.chain.cols}, expected ${M}x4`);
  if (!Number.isFinite(o.weight)) fail(`${label}: weight must be finite, got ${o.weight}`);
  const pipeline = ctx.pipeline('mwg_table', 'refill');
  const params = uniform(ctx, `${label}.params`, b, { M, L: 0, ldH: 0, ldZ: 0, seed: o.seed, stepOffset: o.stepOffset ?? 0, weight: o.weight, nu: 0 });
  return {
    label,
    pipeline,
    bindGroup: bindGroup(ctx, pipeline, {
      0: { buffer: params }, 1: { buffer: b.state, size: 16 }, 2: binding(b.xm), 3: binding(b.logits), 4: binding(b.logitsCur),
      9: binding(b.logvar), 10: { buffer: columnsBuffer(ctx, b.layout, label) }, 11: binding(b.chain), 12: binding(b.miss), 13: binding(b.acc),
    }, label),
    workgroups: [Math.ceil(M / 64), 1, 1],
  };
}
