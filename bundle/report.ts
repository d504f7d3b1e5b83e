// The GPU bundle's last stage: OUT/report.md, one page with what every stage of run.sh found —
// stage outcomes and times, the adapter, the self-check table, the bench report with the PyTorch
// peer, the study's plan and its report. A stage that failed or never ran is said so, not hidden.
//   node report.mjs --out OUT --budget-s S
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describePlan, type ProbeSpeed, type StudyPlan } from './study_plan.ts';
import type { CheckRow } from './selfcheck.ts';
import { pytorchRows, type PytorchResults } from '../bench/pytorch_merge.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const out = arg('--out') ?? '.';
const budget = arg('--budget-s') ?? '?';

const read = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
function json<T>(path: string): T | undefined {
  const t = read(path);
  if (t === undefined) return undefined;
  try {
    return JSON.parse(t) as T;
  } catch {
    return undefined;
  }
}
const missing = (what: string, path: string) => `_${what}: not written (${path} is missing; see log.txt)._`;
/** one level deeper, so an embedded report's headings sit under this report's section */
const demote = (md: string) => md.replace(/^(#+) /gm, '#$1 ');
const num = (v: number | null) => (v === null || !Number.isFinite(v) ? 'inf' : v.toExponential(2));

const md: string[] = ['# tvae on a GPU server: bundle run', ''];
const stages = (read(join(out, 'stages.tsv')) ?? '').trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
const driver = stages.find((s) => s[0] === 'driver');
md.push(`- written ${new Date().toISOString()}; budget ${budget} s; Vulkan driver: ${driver ? `${driver[1]} (${driver[2]})` : 'unknown'}`);
md.push('', '## Stages', '', '| stage | outcome | seconds |', '|---|---|---|');
for (const s of stages.filter((s) => s[0] !== 'driver')) md.push(`| ${s[0]} | ${s[1]} | ${s[2]} |`);

type Adapter = { vendor: string; architecture: string; device: string; description: string; driver: string; isSoftware: boolean; features: string[]; limits: Record<string, number> };
const a = json<Adapter>(join(out, 'adapter.json'));
md.push('', '## Adapter', '');
md.push(a
  ? [`${a.vendor} ${a.architecture} ${a.description} [${a.device}]${a.isSoftware ? ' (software)' : ''}, via ${a.driver}`, '', `features: ${a.features.join(', ')}`, '', `limits: ${Object.entries(a.limits).map(([k, v]) => `${k} ${v}`).join(', ')}`].join('\n')
  : missing('adapter report', 'adapter.json'));

const sc = json<{ pass: boolean; rows: (Omit<CheckRow, 'maxAbsErr' | 'maxTolRatio'> & { maxAbsErr: number | null; maxTolRatio: number | null })[] }>(join(out, 'selfcheck.json'));
md.push('', '## Self-check: GPU kernels against float64 at the real layer sizes', '');
if (sc) {
  md.push(`**${sc.pass ? 'PASS' : 'FAIL'}**: ${sc.rows.filter((r) => r.pass).length} of ${sc.rows.length} checks within tolerance (err/tol at most 1 passes; tolerances as in the kernel tests).`, '');
  md.push('| check | result | max abs error | max err/tol | s |', '|---|---|---|---|---|');
  for (const r of sc.rows) md.push(`| ${r.name} | ${r.pass ? 'pass' : 'FAIL'} | ${num(r.maxAbsErr)} | ${r.maxTolRatio === null ? 'inf' : r.maxTolRatio.toFixed(3)} | ${(r.ms / 1000).toFixed(1)} |`);
} else md.push(missing('self-check', 'selfcheck.json'));

md.push('', '## Bench', '');
const benchMd = read(join(out, 'bench', 'bench.md')) ?? read(join(out, 'bench', 'bench-quick.md'));
md.push(benchMd ? demote(benchMd) : missing('bench', 'bench/bench.md'));
const py = json<PytorchResults>(join(out, 'bench', 'pytorch.json'));
md.push('', '### PyTorch peer (bench/peers/pytorch_vae.py)', '');
md.push(py ? pytorchRows(py) : missing('PyTorch peer', 'bench/pytorch.json'));

md.push('', '## Reference study', '');
const plan = json<{ probe: ProbeSpeed; plan: StudyPlan }>(join(out, 'study', 'plan.json'));
md.push(plan ? `Plan (from a probe run's first epochs): ${describePlan(plan.plan)}.` : missing('study plan', 'study/plan.json'));
const study = read(join(out, 'study', 'report', 'report.md'));
// the study's images sit in its own folder: point the embedded report's links there
md.push('', study ? demote(study).replace(/\]\(([^)/]+\.png)\)/g, '](study/report/$1)') : missing('study report', 'study/report/report.md'));

writeFileSync(join(out, 'report.md'), md.join('\n') + '\n');
console.log(`report: ${join(out, 'report.md')}`);
