// Turns bench results into the Markdown report printed by `npm run bench` and saved next to the
// JSON: one table per section, ratio lines per model, and how each number was obtained.
import { kernelFamilies } from './report_kernels.ts';
import type { BenchResults } from './results_types.ts';
import { fmt, mib, pct, table, versus } from './format.ts';
import { pytorchRows } from './pytorch_merge.ts';
import { peersReport } from './peers.ts';
import { cnnStep, convLayers } from './report_cnn.ts';

function header(r: BenchResults): string {
  const m = r.meta, a = m.adapter;
  return [
    `# tvae bench${m.quick ? ' (--quick: tiny shapes, a smoke test, not a measurement)' : ''}`,
    '',
    `- date ${m.date}, commit ${m.commit}${m.dirty ? ' (tree had uncommitted changes)' : ''}, ${fmt(m.seconds)} s`,
    `- adapter: ${[a.vendor, a.architecture, a.description || a.device].filter(Boolean).join(' ')} (${a.featureLevel === 'compatibility' ? 'WebGPU compatibility mode, ' : ''}fallback ${a.isFallback}, software ${a.isSoftware}, timestamp-query ${a.hasTimestampQuery})`,
    `- runtime: ${m.runtime === 'node' ? 'plain Node through Dawn' : 'headless Chromium'}; ${m.runtime === 'node' ? '' : 'browser: '}${m.userAgent}; Node ${m.node}; TF.js ${m.tf.version} ${m.tf.error ? `**skipped here: ${m.tf.error}**` : `backend ${m.tf.backend}`}`,
    `- machine: ${m.cpus} CPU cores, load average ${m.loadBefore.toFixed(2)} before and ${m.loadAfter.toFixed(2)} after the run (1 min; other jobs on the machine slow whatever runs beside them)`,
    ...(m.cpuPeak ? [`- this CPU's f32 peak (from /proc/cpuinfo, not measured): ${m.cpuPeak.formula}; "of CPU peak" below is a kernel's GFLOP/s over it, meaningful on a software adapter (whose GPU is this CPU)`] : []),
    `- shape ${m.plan.shape.encoder.join('-')}-${m.plan.shape.latent}, batch ${m.plan.batch}, SGD lr ${m.plan.lr}`,
    ...m.notes.map((n) => `- ${n}`),
  ].join('\n');
}

/** A rate as a share of the CPU's f32 peak, where both are known. */
function ofPeak(r: BenchResults, gflops: number | undefined): string {
  const peak = r.meta.cpuPeak?.gflops;
  return gflops === undefined || !peak ? '' : pct(gflops / peak);
}

function profile(r: BenchResults): string {
  const parts = r.profile.map(({ model, profile: p }) => {
    const gemm = p.rows.filter((k) => k.gflops !== undefined);
    const gemmMs = gemm.reduce((s, k) => s + k.ms, 0);
    const top = [...p.rows].sort((x, y) => y.ms - x.ms)[0];
    return [
      `### ${model} prior: ${fmt(p.kernelMs)} ms of kernels per step (${p.method}, mean of ${p.steps} step${p.steps === 1 ? '' : 's'}); the step run back to back takes ${fmt(p.wallStepMs)} ms (queue completion)`,
      '',
      table(['kernel', 'ms', 'share', 'GFLOP/s', 'of CPU peak'], p.rows.map((k) => [k.kernel, fmt(k.ms), pct(k.share), fmt(k.gflops), ofPeak(r, k.gflops)])),
      '',
      ...(p.fallback ? [`Note: ${p.fallback}.`, ''] : []),
      `GEMMs: ${pct(gemmMs / p.kernelMs)} of the step, ${fmt(p.stepGflop)} GFLOP at ${fmt(p.stepGflop / (gemmMs / 1000))} GFLOP/s. Most costly kernel: ${top.kernel} (${pct(top.share)}).`,
    ].join('\n');
  });
  const c = r.profileCheck;
  return [
    '## 1. Per-kernel profile of one training step',
    ...parts,
    `Check (${c.model}): the same kernels timed one submit each by queue completion sum to ${fmt(c.queueKernelMs)} ms against ${fmt(c.timestampKernelMs)} ms by timestamp-query (queue completion adds a submit and a wait per kernel).`,
  ].join('\n\n');
}

function gemm(r: BenchResults): string {
  const rows = r.gemm.map((g) => [g.form, g.layer, `${g.M}x${g.N}x${g.K}`, fmt(g.oursMs), fmt(g.oursGflops), fmt(g.tfMs), fmt(g.tfGflops), g.tfMs === undefined ? '' : versus(g.oursMs, g.tfMs)]);
  const sum = (f: (g: BenchResults['gemm'][number]) => number | undefined) => r.gemm.reduce((s, g) => s + (f(g) ?? NaN), 0);
  const flop = sum((g) => 2 * g.M * g.N * g.K);
  return [
    '## 2. GEMM microbench: every shape and form of a training step, ours vs TF.js matMul',
    `Wall time to queue completion, best of ${r.meta.plan.gemmReps} after a warm-up (the sides alternate), same page and adapter. M x N x K: xwt Y(M,N) = X(M,K)·Wᵀ (+bias, ReLU; tf.fused.matMul), dyw dX(M,K) = dY(M,N)·W (+ReLU mask; tf.matMul), dytx dW(N,K) = dYᵀ·X (+db; tf.matMul transposeA).`,
    tuning(r),
    table(['form', 'layer', 'M x N x K', 'ours ms', 'ours GFLOP/s', 'TF.js ms', 'TF.js GFLOP/s', 'ratio'], rows),
    r.meta.tf.error
      ? `All GEMMs of a step: ours ${fmt(sum((g) => g.oursMs))} ms (${fmt(flop / (sum((g) => g.oursMs) * 1e6))} GFLOP/s); TF.js skipped here (${r.meta.tf.error}).`
      : `All GEMMs of a step: ours ${fmt(sum((g) => g.oursMs))} ms (${fmt(flop / (sum((g) => g.oursMs) * 1e6))} GFLOP/s), TF.js ${fmt(sum((g) => g.tfMs))} ms (${fmt(flop / (sum((g) => g.tfMs) * 1e6))} GFLOP/s): ${versus(sum((g) => g.oursMs), sum((g) => g.tfMs))}.`,
  ].join('\n\n');
}

function tuning(r: BenchResults): string {
  const t = r.tfTuning;
  if (r.meta.tf.error) return `TF.js skipped here: ${r.meta.tf.error}.`;
  const times = Object.entries(t.msByProgram).map(([k, v]) => `${k} ${fmt(v)} ms`).join(', ');
  const chosen = t.chosen === 'heuristic' ? 'its own heuristic' : t.chosen;
  return `TF.js runs its fastest matmul program here: on the step's largest forward GEMM (${times}${t.failed.length ? `; refused: ${t.failed.join(', ')}` : ''}) the fastest was ${chosen}, set by WEBGPU_MATMUL_PROGRAM_TYPE for the whole run.`;
}

function e2e(r: BenchResults): string {
  const p = r.meta.plan;
  const rows = r.e2e.flatMap((e) =>
    (['ours', 'tf', 'cpu'] as const).flatMap((k) => {
      const s = e[k];
      if (!s) return [];
      const name = { ours: 'ours (WGSL)', tf: 'TF.js WebGPU', cpu: 'CPU reference (f64)' }[k];
      return [[e.model, name, fmt(s.stepMs), fmt(e.stepGflop / (s.stepMs / 1000)), fmt(s.validMs), fmt(s.epochS), s.steps, fmt(s.meanLoss), s.mainCpuShare === undefined ? '-' : pct(s.mainCpuShare)]];
    }),
  );
  const lines = r.e2e.map((e) => `- **${e.model}**: ours ${fmt(e.ours.stepMs)} ms/step; ${e.tf ? `TF.js ${fmt(e.tf.stepMs)} ms (${versus(e.ours.stepMs, e.tf.stepMs)})` : 'TF.js skipped'}; CPU reference ${fmt(e.cpu.stepMs)} ms (${versus(e.ours.stepMs, e.cpu.stepMs)})`);
  return [
    '## 3. End to end: one training step and one epoch',
    `Wall time per step to queue completion, mean of the timed steps after warm-up (one training and, for TF.js, one validation step). Epoch = ${p.epochSteps} training + ${p.validSteps} validation steps (MNIST 55,000 / 5,000 at batch ${p.batch}), **extrapolated** from the timed steps (a full epoch is minutes on a software adapter). Mean loss: per-row loss over the steps run, a check that the three compute the same model (their noise and batches differ).`,
    'Main thread: the share of the process\'s CPU time used by its main (JS) thread over the timed steps, the rest being the adapter\'s worker threads (Node runtime only, from /proc/self/task; "-" where the runtime cannot tell: a browser, or steps too short for /proc\'s 10 ms ticks). A host that spins while it waits for the GPU takes CPU from the adapter.',
    table(['model', 'implementation', 'ms/step', 'GFLOP/s', 'valid ms/step', 'epoch s (extrap.)', 'steps timed', 'mean loss', 'main thread CPU'], rows),
    lines.join('\n'),
  ].join('\n\n');
}

function pytorch(r: BenchResults): string {
  const p = r.meta.plan;
  return ['### PyTorch peer (bench/peers/pytorch_vae.py, same model and step on the same machine)', pytorchRows(r.pytorch, r.e2e.map((e) => ({ model: e.model, stepMs: e.ours.stepMs })), { steps: p.epochSteps, valid: p.validSteps })].join('\n\n');
}

function scaling(r: BenchResults): string {
  const ref = r.scaling.find((s) => s.batch === r.meta.plan.batch && s.width === 1) ?? r.scaling[0];
  const rows = r.scaling.map((s) => [s.vary, s.batch, `x${s.width}`, fmt(s.stepGflop), fmt(s.stepMs), fmt(s.gflops), `${fmt(s.stepGflop / ref.stepGflop)}x`, `${fmt(s.stepMs / ref.stepMs)}x`]);
  return [
    '## 4. Scaling (ours, Gaussian prior): step time against batch size and hidden width',
    'Width xk multiplies every hidden layer (the latent size stays). One timed step after a warm-up.',
    table(['varied', 'batch', 'width', 'GFLOP/step', 'ms/step', 'GFLOP/s', 'work vs ref', 'time vs ref'], rows),
  ].join('\n\n');
}

function memory(r: BenchResults): string {
  const m = r.memory, run = m.smallRun;
  const flat = run.epochs.every((e) => e.liveBytes === run.epochs[0].liveBytes) && run.epochs[0].liveBytes === run.builtBytes;
  // the biggest buffers by name; the many small ones (uniforms, per-row losses) summed
  const sorted = Object.entries(m.fullRunByLabel).sort((a, b) => b[1] - a[1]);
  const small = sorted.slice(12);
  const byLabel = [...sorted.slice(0, 12), ...(small.length ? [[`${small.length} others`, small.reduce((s, [, v]) => s + v, 0)] as const] : [])];
  return [
    '## 5. GPU memory (buffers created on our device, counted by wrapping createBuffer)',
    `A full training run (55,000 + 5,000 images, the bench's shape and batch) allocates **${mib(m.fullRunBytes)}** when the trainer is built:`,
    table(['buffer', 'bytes'], byLabel.map(([k, v]) => [k, v])),
    `Short run of the real trainer (${run.trainImages} training, ${run.validImages} validation images): ${run.builtBytes} bytes after building; bytes alive after each epoch:`,
    table(['epoch', 'live bytes', 'seconds', 'train loss'], run.epochs.map((e) => [e.epoch, e.liveBytes, fmt(e.seconds), fmt(e.trainLoss)])),
    `${flat ? 'Flat: nothing is allocated and kept by an epoch.' : 'NOT flat: epochs keep allocating.'} Staging buffers created and destroyed by the epochs' readbacks: ${m.transientBytes} bytes in all.`,
    trainerCheck(r),
  ].join('\n\n');
}

/** The real trainer's epoch against what the bench's composed step (section 3) predicts for it. */
function trainerCheck(r: BenchResults): string {
  const ours = r.e2e.find((e) => e.model === 'gaussian')?.ours;
  const run = r.memory.smallRun, last = run.epochs[run.epochs.length - 1];
  if (!ours || !last) return '';
  const batches = run.trainImages / r.meta.plan.batch;
  const predicted = (batches * ours.stepMs + ours.validMs) / 1000;
  return `Check: the trainer's last epoch (${batches} training + 1 validation batch, with its per-epoch readback) took ${fmt(last.seconds)} s; section 3's step times predict ${fmt(predicted)} s.`;
}

export function renderReport(r: BenchResults): string {
  return [header(r), profile(r), gemm(r), kernelFamilies(r), e2e(r), pytorch(r), peersReport(r), scaling(r), memory(r), convLayers(r), cnnStep(r)].join('\n\n') + '\n';
}
