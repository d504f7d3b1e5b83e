// The shape of bench/results/*.json: everything one `npm run bench` measured, with where and when.
import type { AdapterDescription } from '../src/gpu/device.ts';
import type { BenchPlan } from './config.ts';
import type { CpuTiming } from './cpu_ref.ts';
import type { ConvRow } from './page/conv_micro.ts';
import type { StepTiming } from './page/e2e.ts';
import type { GemmRow } from './page/gemm_micro.ts';
import type { KernelStep, KernelSection } from './page/kernel_variants.ts';
import type { MemoryReport } from './page/memory_run.ts';
import type { StepProfile } from './page/profile.ts';
import type { TfTuning } from './page/tf_tune.ts';
import type { PytorchResults } from './pytorch_merge.ts';
import type { JaxPeer } from './peers.ts';

export interface Side {
  stepMs: number;
  validMs: number;
  steps: number;
  /** epochSteps training + validSteps validation steps, extrapolated from the timed steps */
  epochS: number;
  meanLoss: number;
  /** the main thread's share of the process's CPU over the timed steps (Node runtime only) */
  mainCpuShare?: number;
}

export interface BenchResults {
  meta: {
    date: string;
    commit: string;
    /** the tree had uncommitted changes when the bench ran */
    dirty: boolean;
    quick: boolean;
    node: string;
    /** where the GPU work ran: the bench page in headless Chromium, or in-process through Dawn */
    runtime: 'chromium' | 'node';
    cpus: number;
    /** the CPU's f32 peak and how it was computed (bench/cpu_peak.ts); absent where unknown */
    cpuPeak?: { gflops: number; formula: string };
    /** 1-minute load average before and after: the machine may be shared with other jobs */
    loadBefore: number;
    loadAfter: number;
    userAgent: string;
    adapter: AdapterDescription;
    tf: { backend: string; version: string; error?: string };
    plan: BenchPlan;
    seconds: number;
    notes: string[];
  };
  profile: { model: string; profile: StepProfile }[];
  /** the same step profiled per kernel by queue completion, as a check on the timestamps */
  profileCheck: { model: string; queueKernelMs: number; timestampKernelMs: number };
  /** TF.js's matmul programs timed on the largest GEMM; the fastest is used for the whole run */
  tfTuning: TfTuning;
  gemm: GemmRow[];
  /** the GEMM kernel families: the tuner's choices, each GEMM in every variant, the step tuned vs base */
  kernels?: KernelSection;
  /** tf is absent when TF.js could not start here (meta.tf.error says why) */
  e2e: { model: string; stepGflop: number; ours: Side; tf?: Side; cpu: Side }[];
  /** the jax-js peers on the Gaussian VAE's step (bench/peers.ts), each run or skipped with why */
  jax: JaxPeer[];
  scaling: { vary: 'batch' | 'width'; batch: number; width: number; stepGflop: number; stepMs: number; gflops: number }[];
  memory: MemoryReport;
  /** every pass of every conv layer of the CNN VAE, ours vs TF.js (tf fields absent without it) */
  conv: ConvRow[];
  /** one training step of the CNN VAE per prior, ours vs TF.js */
  cnn: CnnStepRow[];
  /** the CNN's step (Gaussian) with the tuned kernels (conv families included) against every family's base */
  cnnKernels?: KernelStep;
  /** the PyTorch peer's step times (bench/peers/pytorch_vae.py), or why it did not run */
  pytorch: PytorchResults;
}

export interface CnnSide {
  stepMs: number;
  /** one validation step (batch norm from the running statistics) */
  validMs: number;
  steps: number;
  imagesPerS: number;
  gflops: number;
  meanLoss: number;
}

export interface CnnStepRow {
  model: string;
  batch: number;
  /** conv passes and dense GEMMs of one step, the same count for both sides */
  stepGflop: number;
  ours: CnnSide;
  /** absent when TF.js could not start here */
  tf?: CnnSide;
}

export function cnnSide(t: StepTiming, batch: number): CnnSide {
  return { stepMs: t.stepMs, validMs: t.validMs, steps: t.steps, imagesPerS: batch / (t.stepMs / 1000), gflops: t.stepGflop / (t.stepMs / 1000), meanLoss: t.meanLoss };
}

/** Numbers that may be 0 in the results: layer indices, the agreement of two sides, and the
 *  main thread's CPU share (a quiet host over short steps uses less than /proc's 10 ms tick). */
// an adapter without fixed-size subgroups (Chromium's compatibility adapter on lavapipe has none) reports 0
// kernels.minWork is 0 on a GPU (every GEMM tuned); the tuner keeps ms to 3 decimals, which a GPU's
// smallest GEMMs can round to 0
export const mayBeZero = (path: string): boolean => path.endsWith('.layer') || path.endsWith('.relDiff') || path.endsWith('.mainCpuShare') || path === 'meta.adapter.subgroupSize' || path === 'kernels.minWork' || /^kernels\.tuned\[\d+\]\.ms\./.test(path);

export function side(t: StepTiming | CpuTiming, plan: BenchPlan): Side {
  return {
    stepMs: t.stepMs,
    validMs: t.validMs,
    steps: t.steps,
    epochS: (plan.epochSteps * t.stepMs + plan.validSteps * t.validMs) / 1000,
    meanLoss: t.meanLoss,
    ...('mainCpuShare' in t && t.mainCpuShare !== undefined ? { mainCpuShare: t.mainCpuShare } : {}),
  };
}
