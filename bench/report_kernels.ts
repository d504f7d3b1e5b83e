// The bench report's kernel-family section: the tuner's choices, every GEMM of the step in each
// variant that fits the adapter (base is today's kernel, so the table shows the ratio), and the
// training step with the tuned choices against the same step forced to base.
import { fmt, table } from './format.ts';
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
    `Training step (Gaussian), best of 2 rounds of ${r.meta.plan.e2eSteps} steps, alternated: base kernels ${fmt(k.step.baseMs)} ms, tuned ${fmt(k.step.tunedMs)} ms, ${fmt(k.step.baseMs / k.step.tunedMs)}x faster (${k.step.kernels}).`,
  ].join('\n\n');
}
