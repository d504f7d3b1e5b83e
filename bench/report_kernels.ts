// The bench report's kernel-family section: the tuner's choices, every GEMM of the step in each
// variant that fits the adapter (base is today's kernel, so the table shows the ratio), and the
// training step with the tuned choices against the same step forced to base.
import { fmt, table } from './format.ts';
import type { TuneResult } from '../src/tune/measure.ts';
import type { KernelStep } from './page/kernel_variants.ts';
import type { BenchResults } from './results_types.ts';

export function kernelFamilies(r: BenchResults): string {
  const k = r.kernels;
  if (!k) return '';
  const names = [...new Set(k.variants.flatMap((v) => Object.keys(v.ms)))];
  const rows = k.variants.map((v) => [v.family, `${v.M}x${v.N}x${v.K}`, ...names.map((n) => (v.ms[n] === undefined ? '-' : `${fmt(v.ms[n])}${n === v.chosen ? ' *' : ''}`)), fmt(v.ms.base / v.ms[v.chosen])]);
  return [
    '## 2b. Kernel families: each GEMM in every variant, and the step tuned against base',
    `Tuned choices: ${k.choices}. Wall ms to queue completion, best of ${r.meta.plan.gemmReps} (variants alternate); * marks the tuned choice; \`base\` is the original kernel. Variants that do not fit this adapter are not run (-).`,
    table(['family', 'M x N x K', ...names, 'base / chosen'], rows),
    tunerTable(k.tuned, k.minWork),
    `Training step (Gaussian), ${stepComparison(k.step, r.meta.plan.e2eSteps)} (${k.step.kernels}).`,
  ].join('\n\n');
}

/** base against tuned, as measured: the best of each over the rounds, and the per-round ratios'
 *  median and range (results written before the ratios were recorded have the best times only,
 *  from 2 rounds). */
export function stepComparison(k: KernelStep, steps: number): string {
  const ratios = k.ratios ?? [];
  const sorted = [...ratios].sort((a, b) => a - b), m = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  const spread = ratios.length ? `; base / tuned per round: median ${fmt(median)}, range ${fmt(sorted[0])}-${fmt(sorted[sorted.length - 1])}` : '';
  return `best of ${ratios.length || 2} rounds of ${steps} steps, base and tuned alternated: base kernels ${fmt(k.baseMs)} ms, tuned ${fmt(k.tunedMs)} ms, ${fmt(k.baseMs / k.tunedMs)}x faster${spread}`;
}

/** The tuner's own record of this run: per (family, shape), each candidate's ms per dispatch (its
 *  timing: best of its rounds of repeated dispatches, src/tune/measure.ts), its choice, and what it
 *  did not time and why. Absent from results written before it was recorded. */
export function tunerTable(tuned: TuneResult[] | undefined, minWork: number | undefined): string {
  if (!tuned) return '';
  const small = minWork ? ` GEMMs with M·N·K under ${minWork} keep \`base\` untimed here, as in training (a CPU adapter).` : '';
  if (tuned.length === 0) return `The tuner timed nothing in this run: every choice came from the tuning cache (TVAE_KERNEL_CACHE; delete it to measure again) or the GEMM was too small.${small}`;
  const names = [...new Set(tuned.flatMap((t) => Object.keys(t.ms)))];
  const skipped = (t: TuneResult) => {
    const byWhy = new Map<string, string[]>();
    for (const [n, why] of Object.entries(t.excluded)) byWhy.set(why, [...(byWhy.get(why) ?? []), n]);
    return [...byWhy].map(([why, ns]) => `${ns.join(', ')}: ${why}`).join('; ') || '-';
  };
  const rows = tuned.map((t) => [t.family, t.shape, t.chosen, ...names.map((n) => (t.ms[n] === undefined ? '-' : `${fmt(t.ms[n])}${n === t.chosen ? ' *' : ''}`)), skipped(t)]);
  return [
    `The tuner's own measurements in this run (ms per dispatch, best of its rounds; * its choice, the lowest median over rounds of the time relative to the round's fastest; a candidate is timed only once its result agrees with \`base\`).${small}`,
    table(['family', 'M x N x K', 'chosen', ...names, 'not timed (why)'], rows),
  ].join('\n\n');
}
