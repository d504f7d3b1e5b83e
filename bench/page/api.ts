// The bench's GPU side as a function map: one device for our kernels (its buffers counted),
// TensorFlow.js's WebGPU backend beside it, and the sections Node calls one by one
// (bench/sections.ts). Served by the bench page in headless Chromium (main.ts) and called
// in-process by the Node runtime through Dawn (bench/node_bench.ts), so both run the same code.
// TF.js's backend registers itself only if navigator.gpu exists when it is imported: the Node
// runtime sets that before it imports this module.
import type { GpuContext } from '../../src/gpu/context.ts';
import type { AdapterDescription } from '../../src/gpu/device.ts';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import type { VaeShape } from '../../src/ref/vae.ts';
import type { ConvLayerSpec } from './cnn_layers.ts';
import { convMicrobench } from './conv_micro.ts';
import { oursStepTiming, tfStepTiming, type CpuProbe } from './e2e.ts';
import { gemmMicrobench } from './gemm_micro.ts';
import { jaxStepTiming, type JaxDevice } from './jax_vae.ts';
import { gemmVariantTimes, tunedStepVsBase, tuneForBench } from './kernel_variants.ts';
import { trackBuffers } from './memory.ts';
import { memoryReport } from './memory_run.ts';
import { profileStep } from './profile.ts';
import { setTfSettle, startTf } from './tf_setup.ts';
import { tuneTfMatmul, withTfHeuristic } from './tf_tune.ts';
import type { TimingMethod } from './timing.ts';

/** opts.cpu: the main thread's and the process's CPU time, where the runtime can read them (Node) */
export async function createBenchApi(ctx: GpuContext, adapter: AdapterDescription, userAgent: string, opts: { tf?: boolean; cpu?: CpuProbe } = {}) {
  // installed before any model is built, so every buffer of ours is counted
  const tracker = trackBuffers(ctx.device);
  setTfSettle(ctx.settle); // TF.js's queue is waited on as ours is
  const tfInfo = opts.tf === false ? { backend: 'none', version: '-', error: 'not asked for (--no-tf)' } : await startTf();
  const defaultMethod: TimingMethod = adapter.hasTimestampQuery ? 'timestamp-query' : 'queue-completion';
  return {
    info: async () => ({ adapter, tf: tfInfo, userAgent }),
    tuneTf: (a: { M: number; N: number; K: number }) => tuneTfMatmul(a.M, a.N, a.K),
    profile: (a: { config: VaeConfig; steps: number; method?: TimingMethod }) => profileStep(ctx, a.config, a.steps, a.method ?? defaultMethod),
    tuneKernels: (a: { config: VaeConfig }) => tuneForBench(ctx, a.config),
    gemmVariants: (a: { config: VaeConfig; reps: number }) => gemmVariantTimes(ctx, a.config, a.reps),
    kernelStep: (a: { config: VaeConfig; steps: number }) => tunedStepVsBase(ctx, a.config, a.steps),
    gemm: (a: { shape: VaeShape; batch: number; reps: number }) => gemmMicrobench(ctx, a.shape, a.batch, a.reps, !tfInfo.error),
    oursStep: (a: { config: VaeConfig; steps: number }) => oursStepTiming(ctx, a.config, a.steps, opts.cpu),
    tfStep: (a: { config: VaeConfig; steps: number }) => (a.config.net ? withTfHeuristic(() => tfStepTiming(a.config, a.steps, opts.cpu)) : tfStepTiming(a.config, a.steps, opts.cpu)),
    jaxStep: (a: { config: VaeConfig; steps: number; device: JaxDevice }) => jaxStepTiming(a.config, a.steps, a.device),
    conv: (a: { layers: ConvLayerSpec[]; reps: number }) => withTfHeuristic(() => convMicrobench(ctx, a.layers, a.reps, !tfInfo.error)),
    memory: (a: { config: VaeConfig; trainBatches: number; epochs: number }) => memoryReport(ctx, tracker, a.config, a.trainBatches, a.epochs),
  };
}

export type BenchApi = Awaited<ReturnType<typeof createBenchApi>>;
