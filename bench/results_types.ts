// The shape of bench/results/*.json: everything one `npm run bench` measured, with where and when.
import type { AdapterDescription } from '../src/gpu/device.ts';
import type { BenchPlan } from './config.ts';
import type { CpuTiming } from './cpu_ref.ts';
import type { StepTiming } from './page/e2e.ts';
import type { GemmRow } from './page/gemm_micro.ts';
import type { MemoryReport } from './page/memory_run.ts';
import type { StepProfile } from './page/profile.ts';
import type { TfTuning } from './page/tf_tune.ts';
import type { PytorchResults } from './pytorch_merge.ts';

export interface Side {
  stepMs: number;
  validMs: number;
  steps: number;
  /** epochSteps training + validSteps validation steps, extrapolated from the timed steps */
  epochS: number;
  meanLoss: number;
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
  /** tf is absent when TF.js could not start here (meta.tf.error says why) */
  e2e: { model: string; stepGflop: number; ours: Side; tf?: Side; cpu: Side }[];
  scaling: { vary: 'batch' | 'width'; batch: number; width: number; stepGflop: number; stepMs: number; gflops: number }[];
  memory: MemoryReport;
  /** the PyTorch peer's step times (bench/peers/pytorch_vae.py), or why it did not run */
  pytorch: PytorchResults;
}

export function side(t: StepTiming | CpuTiming, plan: BenchPlan): Side {
  return {
    stepMs: t.stepMs,
    validMs: t.validMs,
    steps: t.steps,
    epochS: (plan.epochSteps * t.stepMs + plan.validSteps * t.validMs) / 1000,
    meanLoss: t.meanLoss,
  };
}
