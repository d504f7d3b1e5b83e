// The jax-js peers (bench/page/jax_vae.ts) seen from the bench: the reference step of the Gaussian
// VAE on jax-js's WebGPU backend (same adapter as ours) and its WebAssembly backend in headless
// Chromium, each skipped with its reason when it cannot run; then the report's peer table (ours vs
// TF.js vs jax-js vs PyTorch, ms per step, from one run). The share of the CPU's f32 peak is in the
// profile (report.ts), not here.
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { hasChromium } from '../src/node/chromium_path.ts';
import type { Runtime } from '../src/node/worker.ts';
import { fmt, table, versus } from './format.ts';
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

type JaxTiming = StepTiming & { threads: string; adapter?: string };

/** Both jax-js devices on the reference step, WebGPU where our kernels run (`h`); a --quick run
 *  skips WebGPU (its first jit compiles for minutes on a software adapter, longer than the whole
 *  smoke test). */
export async function jaxPeers(h: Calls, config: VaeConfig, plan: BenchPlan, log: (line: string) => void, runtime: Runtime): Promise<JaxPeer[]> {
  const out: JaxPeer[] = [];
  for (const device of ['webgpu', 'wasm'] as const) {
    if (device === 'webgpu' && plan.quick) {
      out.push({ peer: 'jax-js', device, available: false, reason: 'not in --quick runs (its pipeline compiles take minutes on a software adapter)' });
      continue;
    }
    log(`3b. jax-js peer on ${device}: the ${config.prior.kind} VAE's training step`);
    try {
      const args = { config, steps: plan.e2eSteps, device };
      const r = device === 'wasm' && runtime === 'node' ? await wasmInChromium(args) : await h.call<JaxTiming>('jaxStep', args);
      out.push({ peer: 'jax-js', device, available: true, model: 'gaussian', threads: r.threads, ...(r.adapter ? { adapter: r.adapter } : {}), timing: side(r, plan) });
    } catch (e) {
      out.push({ peer: 'jax-js', device, available: false, reason: (e as Error).message.split('\n')[0] });
    }
  }
  return out;
}

/** From the Node runtime: jax-js's WebAssembly backend on a bench page of its own in headless
 *  Chromium, served cross-origin isolated so that SharedArrayBuffer exists and jax-js runs its
 *  kernels on Web Workers (Node has neither Web Workers nor, here, an isolated page). The page
 *  is opened for this peer alone and closed before the bench goes on. */
async function wasmInChromium(args: { config: VaeConfig; steps: number; device: JaxDevice }): Promise<JaxTiming> {
  if (!hasChromium()) throw new Error('no Chromium here (jax-js\'s WebAssembly peer runs multi-threaded in a cross-origin-isolated page)');
  const { openHarness } = await import('../src/node/harness.ts'); // puppeteer and Vite: Chromium's side only
  const page = await openHarness('bench/bench.html?tf=0', { crossOriginIsolated: true, log: (l) => console.error(l) });
  try {
    // the page announces its adapter before its function map is exposed
    await page.page.waitForFunction('window.tvaeApi !== undefined', { timeout: 60_000 });
    return await page.call<JaxTiming>('jaxStep', args);
  } finally {
    await page.close();
  }
}

/** What the peer table reads from a bench run (bench/peers_run.ts fills only this). */
export type PeerInputs = Pick<BenchResults, 'jax' | 'pytorch'> & {
  meta: Pick<BenchResults['meta'], 'plan' | 'tf'>;
  e2e: { model: string; ours: Side; tf?: Side }[];
};

/** Markdown: every peer on the reference step, ms per step beside ours, from this one run. */
export function peersReport(r: PeerInputs): string {
  const g = r.e2e.find((e) => e.model === 'gaussian');
  const rows: (string | number)[][] = [];
  const add = (name: string, ms: number | undefined, loss: number | undefined, why?: string) =>
    rows.push([name, ms === undefined ? `skipped: ${why}` : fmt(ms), ...(ms === undefined || !g ? ['', ''] : [fmt(g.ours.stepMs / ms), name.startsWith('ours') ? '' : versus(g.ours.stepMs, ms)]), loss === undefined ? '' : fmt(loss)]);
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
    'Wall time per training step, mean of the timed steps after warm-up, every side in this one run on this machine (ours, TF.js and jax-js WebGPU on the same adapter; jax-js WebAssembly in headless Chromium and PyTorch, both on the CPU). ours / peer: our ms per step over the peer\'s (below 1: ours is faster). Mean loss: per-row loss over the steps run, the same model on every side (noise and batches differ, so only alike).',
    table(['implementation', 'ms/step', 'ours / peer', 'vs ours', 'mean loss'], rows),
  ].join('\n\n');
}
