// The tuner: for each (family, shape) with no choice yet, builds every variant that fits the
// adapter, checks its output against the family's fallback (|v - f| <= 1e-4 + 1e-4 (|f| + max |f|),
// inputs in [-1, 1)), times the ones that agree, keeps the fastest and saves
// the choice (src/tune/table.ts store). Wall time per dispatch, texture packs included: a variant
// pays for its own input copies. Candidates are timed round-robin so a load change on a shared
// machine hits them alike, and compared round by round: the choice is the variant whose median
// over the rounds of (its time / that round's fastest) is lowest. With the minimum of 3 rounds
// per variant, a loaded 2-core machine chose subgroup.r64 at 25.4 ms for a GEMM whose storage.r64
// the same run timed at 14.2 ms: a burst of load in one variant's slots decided it.
import type { Dispatch, GpuContext } from '../gpu/context.ts';
import { dispatchEncoder, encodeDispatches } from '../gpu/context.ts';
import { readMatrix } from '../gpu/matrix.ts';
import { familyWork, shapeKey, type Family, type KernelShape } from './family.ts';
import { notTunedHere } from './cpu_adapter.ts';
import { choiceKey, forcedName } from './table.ts';

export interface TuneRequest {
  family: Family<unknown, KernelShape>;
  shape: KernelShape;
}

export interface TuneResult {
  family: string;
  shape: string;
  chosen: string;
  /** ms per dispatch of each variant timed */
  ms: Record<string, number>;
  /** variants not timed, and why (adapter, shape, or a wrong result) */
  excluded: Record<string, string>;
}

const TOL = { atol: 1e-4, rtol: 1e-4 };
const ROUNDS = 5;
const TARGET_MS = 15; // each timing covers at least this much work, so submission cost is small

async function finish(ctx: GpuContext): Promise<void> {
  await ctx.device.queue.onSubmittedWorkDone();
}

async function timeOnce(ctx: GpuContext, d: Dispatch, reps: number): Promise<number> {
  const t0 = performance.now();
  const enc = ctx.device.createCommandEncoder();
  const passes = dispatchEncoder(enc);
  for (let r = 0; r < reps; r++) encodeDispatches(passes, [d]);
  passes.end();
  ctx.device.queue.submit([enc.finish()]);
  await finish(ctx);
  return (performance.now() - t0) / reps;
}

/** Also norm-wise (rtol of the output's largest |value|): a long reduction (a conv's weight gradient
 *  sums 100k pixels) rounds by about its typical magnitude times eps in every element, so an element
 *  that cancels to near 0 misses the elementwise bound though both sums are right; a wrong variant
 *  is off by the output's own magnitude somewhere, far above this. */
function disagreement(got: Float32Array, want: Float32Array): string | undefined {
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    const bad = !(Math.abs(got[i] - want[i]) <= TOL.atol + TOL.rtol * (Math.abs(want[i]) + scale));
    if (bad) return `wrong result: element ${i} is ${got[i]}, the fallback gives ${want[i]} (largest |value| ${scale})`;
  }
  return undefined;
}

/** Tunes one (family, shape); the table and store are the caller's. */
export async function tuneOne(ctx: GpuContext, req: TuneRequest, seed = 1): Promise<TuneResult> {
  const { family, shape } = req;
  const result: TuneResult = { family: family.name, shape: shapeKey(shape), chosen: family.fallback, ms: {}, excluded: {} };
  const fitting = family.variants.filter((v) => {
    const why = v.unfit(ctx.caps, shape) ?? notTunedHere(v, ctx.caps);
    if (why) result.excluded[v.name] = why;
    return !why;
  });
  if (fitting.length < 2) return result;
  const probe = family.probe(ctx, shape, seed);
  try {
    const built = new Map<string, Dispatch>();
    let want: Float32Array[] | undefined;
    for (const v of [...fitting].sort((a, b) => Number(b.name === family.fallback) - Number(a.name === family.fallback))) {
      const d = family.launch(ctx, probe.args, v.name);
      encodeOnce(ctx, d);
      const got = await Promise.all(probe.outputs.map((m) => readMatrix(ctx, m, true)));
      if (!want) want = got;
      const why = got.map((g, i) => disagreement(g, want![i])).find(Boolean);
      if (why) result.excluded[v.name] = why;
      else built.set(v.name, d);
    }
    const reps = new Map<string, number>();
    for (const [name, d] of built) reps.set(name, Math.max(1, Math.min(50, Math.ceil(TARGET_MS / Math.max(0.01, await timeOnce(ctx, d, 1))))));
    const rounds: Map<string, number>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const round = new Map<string, number>();
      for (const [name, d] of built) round.set(name, await timeOnce(ctx, d, reps.get(name)!));
      rounds.push(round);
    }
    for (const name of built.keys()) result.ms[name] = Number(Math.min(...rounds.map((t) => t.get(name)!)).toFixed(3));
    result.chosen = pairedChoice(rounds);
  } finally {
    for (const b of probe.buffers) b.destroy();
  }
  return result;
}

/** The variant with the lowest median over rounds of its time relative to the round's fastest
 *  (ties: the lower best time, then the first timed, which is the fallback). */
export function pairedChoice(rounds: readonly ReadonlyMap<string, number>[]): string {
  const names = [...rounds[0].keys()];
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const score = new Map(names.map((n) => [n, median(rounds.map((t) => t.get(n)! / Math.min(...t.values())))]));
  const best = new Map(names.map((n) => [n, Math.min(...rounds.map((t) => t.get(n)!))]));
  return names.reduce((a, b) => (score.get(b)! < score.get(a)! || (score.get(b) === score.get(a) && best.get(b)! < best.get(a)!) ? b : a));
}

function encodeOnce(ctx: GpuContext, d: Dispatch): void {
  const enc = ctx.device.createCommandEncoder();
  const passes = dispatchEncoder(enc);
  encodeDispatches(passes, [d]);
  passes.end();
  ctx.device.queue.submit([enc.finish()]);
}

/**
 * Tunes the requests that have no choice yet (forced families are left alone), records the
 * choices in the context's table and saves them to its store. Returns what it measured.
 */
/** Below this many multiply-adds (M·N·K for a GEMM, the family's count otherwise) a launch keeps the fallback untimed: launch cost dominates
 *  there, and compiling the unrolled variants would cost more than they could save (tests, toys). */
export const TUNE_MIN_WORK = 1 << 20;

export async function tune(ctx: GpuContext, requests: readonly TuneRequest[], log?: (line: string) => void, minWork = TUNE_MIN_WORK): Promise<TuneResult[]> {
  const table = ctx.kernels;
  if (table.pinned) return []; // a resume runs the run's recorded variants, whatever timing says
  requests = requests.filter((r) => familyWork(r.family, r.shape) >= minWork);
  const todo = requests.filter((r, i) => {
    const key = choiceKey(r.family.name, r.shape);
    const forced = forcedName(table, r.family) !== undefined;
    return !(key in table.choices) && !forced && requests.findIndex((q) => choiceKey(q.family.name, q.shape) === key) === i;
  });
  const results: TuneResult[] = [];
  for (const r of todo) {
    const res = await tuneOne(ctx, r);
    results.push(res);
    table.choices[choiceKey(r.family.name, r.shape)] = res.chosen;
  }
  if (results.length) {
    table.store?.save(ctx.caps.key, Object.fromEntries(results.map((r) => [`${r.family}|${r.shape}`, r.chosen])));
    log?.(`tuned ${results.length} kernel shapes${table.store ? ` (saved to ${table.store.where})` : ''}: ${results.map((r) => `${r.family} ${r.shape} ${r.chosen}${r.ms[r.chosen] !== undefined ? ` ${r.ms[r.chosen]}ms` : ''}`).join(', ')}`);
  }
  return results;
}
