// The seven bench sections in order, each a few page calls (and the CPU reference in Node).
// Returns everything but the run's own metadata (date, commit), which run.ts adds.
import type { AdapterDescription } from '../src/gpu/device.ts';
import type { Runtime } from '../src/node/worker.ts';
import { modelPlan } from '../src/parts/model.ts';
import { CNN_MODELS, cnnConfig, MODELS, vaeConfig, widened, type BenchPlan } from './config.ts';
import { cnnConvLayers } from './page/cnn_layers.ts';
import type { ConvRow } from './page/conv_micro.ts';
import { cpuStepTiming } from './cpu_ref.ts';
import { jaxPeers } from './peers.ts';
import type { StepTiming } from './page/e2e.ts';
import type { GemmRow } from './page/gemm_micro.ts';
import type { BenchTuning, KernelSection, KernelStep, VariantRow } from './page/kernel_variants.ts';
import type { MemoryReport } from './page/memory_run.ts';
import type { StepProfile } from './page/profile.ts';
import type { TfTuning } from './page/tf_tune.ts';
import { cnnSide, side, type BenchResults } from './results_types.ts';

type Sections = Omit<BenchResults, 'meta' | 'pytorch'>;
type PageInfo = { adapter: AdapterDescription; tf: { backend: string; version: string; error?: string }; userAgent: string };

/** the bench page in Chromium, or the same functions in-process in Node (node_bench.ts) */
export interface BenchCalls {
  call<T = unknown>(fn: string, args?: unknown): Promise<T>;
}

export async function runSections(h: BenchCalls, plan: BenchPlan, log: (line: string) => void, runtime: Runtime): Promise<{ meta: PageInfo & { notes: string[] }; sections: Sections }> {
  const info = await h.call<PageInfo>('info');
  log(`adapter ${[info.adapter.vendor, info.adapter.architecture, info.adapter.description].filter(Boolean).join(' ')}${info.adapter.featureLevel === 'compatibility' ? ' (WebGPU compatibility mode)' : ''}; TF.js ${info.tf.version} ${info.tf.error ? `skipped: ${info.tf.error}` : `on ${info.tf.backend}`}`);
  const withTf = !info.tf.error;
  const gaussian = vaeConfig(plan, MODELS[0].prior);

  // the GEMM variants are tuned first (or read from the tuning cache), so every section runs them
  log('0. kernel families: tuning the GEMMs of the step');
  const { choices, tuned, minWork } = await h.call<BenchTuning>('tuneKernels', { config: gaussian });
  log(choices);
  for (const t of tuned) log(`  tuner: ${t.family} ${t.shape} -> ${t.chosen} (${Object.entries(t.ms).map(([n, ms]) => `${n} ${ms} ms`).join(', ')})`);

  const profile: Sections['profile'] = [];
  for (const m of MODELS) {
    log(`1. profile: ${m.name}`);
    profile.push({ model: m.name, profile: await h.call<StepProfile>('profile', { config: vaeConfig(plan, m.prior), steps: plan.profileSteps }) });
  }
  // the fallback path, run on the same step as a check on the timestamps (and so it is exercised)
  const queue = await h.call<StepProfile>('profile', { config: gaussian, steps: 1, method: 'queue-completion' });
  const profileCheck = { model: MODELS[0].name, queueKernelMs: queue.kernelMs, timestampKernelMs: profile[0].profile.kernelMs };

  // TF.js's fastest matmul program on the step's largest GEMM, kept for the rest of the run
  const big = [...plan.shape.encoder, plan.shape.latent * 2].slice(0, 2);
  log(`2. TF.js matmul program choice on ${plan.batch}x${big[1]}x${big[0]}, then the GEMM microbench`);
  const tfTuning = withTf ? await h.call<TfTuning>('tuneTf', { M: plan.batch, N: big[1], K: big[0] }) : { msByProgram: {}, failed: [], chosen: 'none (TF.js skipped)' };
  const gemm = await h.call<GemmRow[]>('gemm', { shape: plan.shape, batch: plan.batch, reps: plan.gemmReps });
  log('2b. every GEMM in each variant, and the step with the tuned kernels against base');
  const kernels: KernelSection = {
    choices,
    tuned,
    minWork,
    variants: await h.call<VariantRow[]>('gemmVariants', { config: gaussian, reps: plan.gemmReps }),
    step: await h.call<KernelStep>('kernelStep', { config: gaussian, steps: plan.e2eSteps }),
  };

  const e2e: Sections['e2e'] = [];
  for (const m of MODELS) {
    const config = vaeConfig(plan, m.prior);
    log(`3. end to end: ${m.name} (ours, TF.js, CPU reference)`);
    const ours = await h.call<StepTiming>('oursStep', { config, steps: plan.e2eSteps });
    const tf = withTf ? await h.call<StepTiming>('tfStep', { config, steps: plan.e2eSteps }) : undefined;
    const cpu = cpuStepTiming(config, plan.cpuSteps);
    e2e.push({ model: m.name, stepGflop: ours.stepGflop, ours: side(ours, plan), ...(tf ? { tf: side(tf, plan) } : {}), cpu: side(cpu, plan) });
  }
  const jax = await jaxPeers(h, gaussian, plan, log, runtime);

  const scaling: Sections['scaling'] = [];
  const points = [
    ...plan.scalingBatches.map((batch) => ({ vary: 'batch' as const, batch, width: 1 })),
    ...plan.scalingWidths.filter((w) => w !== 1).map((width) => ({ vary: 'width' as const, batch: plan.batch, width })),
  ];
  for (const p of points) {
    log(`4. scaling: batch ${p.batch}, width x${p.width}`);
    const t = await h.call<StepTiming>('oursStep', { config: vaeConfig(plan, MODELS[0].prior, { batch: p.batch, shape: widened(plan.shape, p.width) }), steps: 1 });
    scaling.push({ ...p, stepGflop: t.stepGflop, stepMs: t.stepMs, gflops: t.stepGflop / (t.stepMs / 1000) });
  }

  log('5. GPU memory');
  const memory = await h.call<MemoryReport>('memory', { config: gaussian, trainBatches: plan.memoryTrainBatches, epochs: plan.memoryEpochs });

  // the CNN VAE: its conv layers at the step's own shapes, then the step itself
  const cnnPlan = modelPlan(cnnConfig(plan, CNN_MODELS[0].prior))!;
  log(`6. conv layers of the CNN at batch ${plan.cnn.batch} (ours${withTf ? ', TF.js' : ''})`);
  const conv = await h.call<ConvRow[]>('conv', { layers: cnnConvLayers(cnnPlan, plan.cnn.batch), reps: plan.cnn.convReps });
  // tunes the CNN's kernels into the page's table (so the steps below run them) and times the step
  // with them against every family forced to base, alternated in one run
  log(`7a. CNN training step: tuned kernels (conv families included) against base`);
  const cnnKernels = await h.call<KernelStep>('kernelStep', { config: cnnConfig(plan, CNN_MODELS[0].prior), steps: plan.cnn.steps });
  const cnn: Sections['cnn'] = [];
  for (const m of CNN_MODELS) {
    const config = cnnConfig(plan, m.prior);
    log(`7. CNN training step: ${m.name} (ours${withTf ? ', TF.js' : ''})`);
    const ours = await h.call<StepTiming>('oursStep', { config, steps: plan.cnn.steps });
    const tf = withTf ? await h.call<StepTiming>('tfStep', { config, steps: plan.cnn.steps }) : undefined;
    cnn.push({ model: m.name, batch: plan.cnn.batch, stepGflop: ours.stepGflop, ours: cnnSide(ours, plan.cnn.batch), ...(tf ? { tf: cnnSide(tf, plan.cnn.batch) } : {}) });
  }

  const notes = [
    `per-kernel times: ${profile[0].profile.method}${info.adapter.hasTimestampQuery ? '' : ' (the adapter has no timestamp-query)'}; step, GEMM and epoch times: wall clock to queue completion`,
    `epochs are extrapolated from ${plan.e2eSteps} timed steps (CPU reference: ${plan.cpuSteps}), not run in full`,
    'images are random bytes, 80% zeros like MNIST (no kernel\'s cost depends on pixel values); TF.js draws its noise with tf.randomNormal/tf.randomGamma (on the CPU, uploaded per step)',
  ];
  return { meta: { ...info, notes }, sections: { profile, profileCheck, tfTuning, gemm, kernels, e2e, jax, scaling, memory, conv, cnn, cnnKernels } };
}
