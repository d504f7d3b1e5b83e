// The jax-js peers (bench/page/jax_vae.ts) seen from the bench: the reference step of the Gaussian
// VAE on jax-js's WebGPU backend (same adapter as ours) and its WebAssembly backend, each skipped
// with its reason when it cannot run; then the report's peer table (ours vs TF.js vs jax-js vs
// PyTorch, ms per step, from one run) and the share of the CPU's f32 peak our GEMM kernels reach.
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { machineCpuPeak, type CpuPeak } from './cpu_peak.ts';
import { fmt, pct, table, versus } from './format.ts';
import type { StepTiming } from './page/e2e.ts';
import type { JaxDevice } from './page/jax_vae.ts';
import type { BenchPlan } from './config.ts';
import type { BenchResults, Side } from './results_types.ts';
import { side } from './results_types.ts';

export type JaxPeer =
  | { peer: 'jax-js'; device: JaxDevice; available: true; model: string; threads: string; adapter?: string; timing: Side }
  | { peer: 'jax-js'; device: JaxDevice; available: false; reason: string };

interface Calls {
  call<T = unknown>(fn: string, args?: unknown): Promise<T>;
}

/** Both jax-js devices on the reference step; a --quick run skips WebGPU (its first jit compiles
 *  for minutes on a software adapter, longer than the whole smoke test). */
export async function jaxPeers(h: Calls, config: VaeConfig, plan: BenchPlan, log: (line: string) => void): Promise<JaxPeer[]> {
  const out: JaxPeer[] = [];
  for (const device of ['webgpu', 'wasm'] as const) {
    if (device === 'webgpu' && plan.quick) {
      out.push({ peer: 'jax-js', device, available: false, reason: 'not in --quick runs (its pipeline compiles take minutes on a software adapter)' });
      continue;
    }
    log(`3b. jax-js peer on ${device}: the ${config.prior.kind} VAE's training step`);
    try {
      const r = await h.call<StepTiming & { threads: string; adapter?: string }>('jaxStep', { config, steps: plan.e2eSteps, device });
      out.push({ peer: 'jax-js', device, available: true, model: 'gaussian', threads: r.threads, ...(r.adapter ? { adapter: r.adapter } : {}), timing: side(r, plan) });
    } catch (e) {
      out.push({ peer: 'jax-js', device, available: false, reason: (e as Error).message.split('\n')[0] });
    }
  }
  return out;
}

/** What the peer table reads from a bench run (bench/peers_run.ts fills only this). */
export type PeerInputs = Pick<BenchResults, 'jax' | 'pytorch' | 'profile'> & {
  meta: Pick<BenchResults['meta'], 'plan' | 'tf'>;
  e2e: { model: string; ours: Side; tf?: Side }[];
};

/** Markdown: every peer on the reference step, ms per step beside ours, from this one run. */
export function peersReport(r: PeerInputs, peak: CpuPeak | undefined = machineCpuPeak()): string {
  const g = r.e2e.find((e) => e.model === 'gaussian');
  const rows: (string | number)[][] = [];
  const add = (name: string, ms: number | undefined, loss: number | undefined, why?: string) =>
    rows.push([name, ms === undefined ? `skipped: ${why}` : fmt(ms), ms === undefined || !g ? '' : name.startsWith('ours') ? '' : versus(g.ours.stepMs, ms), loss === undefined ? '' : fmt(loss)]);
  if (g) add('ours (WGSL)', g.ours.stepMs, g.ours.meanLoss);
  add('TF.js WebGPU', g?.tf?.stepMs, g?.tf?.meanLoss, r.meta.tf.error ?? 'no TF.js row');
  for (const j of r.jax ?? []) {
    const name = `jax-js ${j.device === 'webgpu' ? 'WebGPU' : 'WebAssembly'}`;
    if (j.available) add(`${name} (${j.threads}${j.adapter ? `, ${j.adapter}` : ''})`, j.timing.stepMs, j.timing.meanLoss);
    else add(name, undefined, undefined, j.reason);
  }
  const pt = r.pytorch.available ? r.pytorch.models.find((m) => m.model === 'gaussian') : undefined;
  add(r.pytorch.available ? `PyTorch ${r.pytorch.torch} (${r.pytorch.device}, ${r.pytorch.threads} threads)` : 'PyTorch', pt?.stepMs, pt?.meanLoss, r.pytorch.available ? 'no gaussian row' : r.pytorch.reason);
  const p = r.meta.plan;
  const shape = [...p.shape.encoder, p.shape.latent].join('-');
  return [
    `### Every peer on the reference step (Gaussian VAE ${shape}, batch ${p.batch}), one run`,
    'Wall time per training step, mean of the timed steps after warm-up, every side in this one run on this machine (ours, TF.js and jax-js WebGPU on the same adapter; jax-js WebAssembly and PyTorch on the CPU). Mean loss: per-row loss over the steps run, the same model on every side (noise and batches differ, so only alike).',
    table(['implementation', 'ms/step', 'vs ours', 'mean loss'], rows),
    cpuShare(r, peak),
  ].join('\n\n');
}

/** Our GEMM kernels' GFLOP/s (section 1's profile) as a share of the CPU's f32 peak. */
function cpuShare(r: PeerInputs, peak: CpuPeak | undefined): string {
  if (!peak) return 'Share of the CPU\'s f32 peak: not computed (no /proc/cpuinfo with flags and cpu MHz here).';
  const prof = r.profile.find((x) => x.model === 'gaussian')?.profile;
  const rows = (prof?.rows ?? []).filter((k) => k.gflops !== undefined).map((k) => [k.kernel, fmt(k.ms), fmt(k.gflops), pct(k.gflops! / peak.gflops)]);
  return [
    `Our GEMM kernels against the CPU's f32 peak (meaningful on a software adapter, which runs them on these cores). Peak = cores x GHz x f32 lanes x 2 FMA units x 2 flops per FMA (x 0.5 on Zen 1, AMD family 0x17 model < 0x30, which splits 256-bit FMAs): ${peak.formula}.`,
    table(['kernel (gaussian step)', 'ms', 'GFLOP/s', 'of CPU f32 peak'], rows),
  ].join('\n\n');
}
