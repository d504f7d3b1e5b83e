// The PyTorch peer (bench/peers/pytorch_vae.py) seen from the bench: run it with python3, read its
// JSON, and render its step times beside ours. A machine without python3 or torch gives a result
// that says so (never a failed bench): the peer is optional, its absence is reported.
import { spawnSync } from 'node:child_process';
import { fmt, table, versus } from './format.ts';

export interface PytorchModel {
  model: string;
  stepMs: number;
  validMs: number;
  steps: number;
  stepGflop: number;
  meanLoss: number;
}

export type PytorchResults =
  | { peer: 'pytorch'; available: false; reason: string; python?: string }
  | { peer: 'pytorch'; available: true; python: string; torch: string; device: string; deviceName: string; threads: number; quick: boolean; batch: number; tf32: boolean; models: PytorchModel[] };

/** Runs the peer script; `python` is the interpreter (python3 on the PATH by default). */
export function runPytorchPeer(script: string, opts: { quick: boolean; steps?: number; python?: string; timeoutMs?: number }): PytorchResults {
  const args = [script, '--steps', String(opts.steps ?? (opts.quick ? 3 : 20)), ...(opts.quick ? ['--quick'] : [])];
  const r = spawnSync(opts.python ?? 'python3', args, { encoding: 'utf8', timeout: opts.timeoutMs ?? 300_000 });
  if (r.error) return { peer: 'pytorch', available: false, reason: `could not run python3: ${r.error.message}` };
  if (r.status !== 0) return { peer: 'pytorch', available: false, reason: `the peer exited with status ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}` };
  try {
    return JSON.parse(r.stdout) as PytorchResults;
  } catch {
    return { peer: 'pytorch', available: false, reason: `the peer printed no JSON: ${r.stdout.slice(0, 200)}` };
  }
}

/** Markdown: the peer's rows, and ours against them where our step times are given. */
export function pytorchRows(p: PytorchResults, ours?: { model: string; stepMs: number }[], epoch?: { steps: number; valid: number }): string {
  if (!p.available) return `PyTorch peer skipped: ${p.reason}.`;
  const e = epoch ?? { steps: 110, valid: 10 };
  const rows = p.models.map((m) => [m.model, fmt(m.stepMs), fmt(m.stepGflop / (m.stepMs / 1000)), fmt(m.validMs), fmt((e.steps * m.stepMs + e.valid * m.validMs) / 1000), m.steps, fmt(m.meanLoss)]);
  const lines = (ours ?? []).flatMap((o) => {
    const m = p.models.find((x) => x.model === o.model);
    return m ? [`- **${o.model}**: ours ${fmt(o.stepMs)} ms/step, PyTorch ${fmt(m.stepMs)} ms (${versus(o.stepMs, m.stepMs)})`] : [];
  });
  return [
    `PyTorch ${p.torch} on ${p.device} (${p.deviceName}, ${p.threads} CPU threads${p.device === 'cuda' ? `, TF32 ${p.tf32 ? 'on' : 'off'}` : ''}), Python ${p.python}, batch ${p.batch}${p.quick ? ', --quick shapes' : ''}: wall time per step synchronized with the device, mean of the timed steps after 2 warm-up steps; epoch extrapolated as in section 3.`,
    '',
    table(['model', 'ms/step', 'GFLOP/s', 'valid ms/step', 'epoch s (extrap.)', 'steps timed', 'mean loss'], rows),
    ...(lines.length ? ['', lines.join('\n')] : []),
  ].join('\n');
}
