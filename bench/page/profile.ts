// Section 1: per-kernel profile of one training step. Every dispatch of the step is timed (by
// timestamp-query where the device has it), with its share of the step and, for GEMMs, GFLOP/s.
import type { GpuContext } from '../../src/gpu/context.ts';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import { buildTrainStep, rewind } from './step.ts';
import { kernelTimes, wallMs, type TimingMethod } from './timing.ts';

export interface KernelRow {
  kernel: string;
  ms: number;
  share: number;
  /** GEMMs only */
  gflops?: number;
}

export interface StepProfile {
  method: TimingMethod;
  steps: number;
  rows: KernelRow[];
  /** sum of the kernel times */
  kernelMs: number;
  /** the same step run back to back in one pass, to queue completion (no per-kernel passes) */
  wallStepMs: number;
  stepGflop: number;
  /** why the profile is not by the method asked for */
  fallback?: string;
}

export async function profileStep(ctx: GpuContext, config: VaeConfig, steps: number, method: TimingMethod): Promise<StepProfile> {
  const step = buildTrainStep(ctx, config, 2 + 3 * steps); // warm-up, timestamps (+ the fallback), wall
  await wallMs(ctx, step.train, 1); // compiles pipelines, touches every buffer
  let ms = await kernelTimes(ctx, step.train, steps, method);
  // lavapipe's timestamps tick too coarsely for the smallest kernels (begin == end): a zero is
  // no time, so such a step is profiled by queue completion instead, and says so
  let fallback: string | undefined;
  if (method === 'timestamp-query' && ms.some((t) => !(t > 0))) {
    fallback = `timestamp-query gave 0 ms for ${ms.filter((t) => !(t > 0)).length} kernels (below the adapter's timer resolution): profiled by queue completion instead`;
    method = 'queue-completion';
    ms = await kernelTimes(ctx, step.train, steps, method);
  }
  const wallStepMs = (await wallMs(ctx, step.train, steps)) / steps;
  rewind(ctx, step);
  const kernelMs = ms.reduce((a, b) => a + b, 0);
  const rows = step.train.map((d, i) => ({
    kernel: d.label,
    ms: ms[i],
    share: ms[i] / kernelMs,
    ...(step.flops[i] > 0 ? { gflops: step.flops[i] / (ms[i] * 1e6) } : {}),
  }));
  return { method, steps, rows, kernelMs, wallStepMs, stepGflop: step.flops.reduce((a, b) => a + b, 0) / 1e9, ...(fallback ? { fallback } : {}) };
}
