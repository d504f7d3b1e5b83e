// What the bench measures and how often: the reference size, the quick (smoke test) size, and the
// repetition counts. Shared by the Node driver and the bench page so both agree on every shape.
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import type { Prior } from '../src/ref/reparam_kl.ts';
import type { VaeShape } from '../src/ref/vae.ts';

export interface ModelSpec {
  name: 'gaussian' | 't';
  prior: Prior;
}

/** The two VAEs; nu 21 is the training CLI's default. */
export const MODELS: readonly ModelSpec[] = [
  { name: 'gaussian', prior: { kind: 'gaussian' } },
  { name: 't', prior: { kind: 't', nu: 21 } },
];

export interface BenchPlan {
  quick: boolean;
  shape: VaeShape;
  batch: number;
  lr: number;
  /** steps timed per model in the profile (after one warm-up step) */
  profileSteps: number;
  /** repetitions per GEMM in the microbench (after one warm-up) */
  gemmReps: number;
  /** training steps timed end to end (after one warm-up); an epoch is extrapolated from them */
  e2eSteps: number;
  /** CPU reference steps timed (float64, slowest of the three) */
  cpuSteps: number;
  /** steps of a full epoch and its validation batches (MNIST 55,000 / 5,000 at the batch size) */
  epochSteps: number;
  validSteps: number;
  scalingBatches: number[];
  scalingWidths: number[];
  /** epochs of the small training run whose GPU memory is watched */
  memoryEpochs: number;
  memoryTrainBatches: number;
}

export function shapeOf(hidden: number[], latent: number, D = 784): VaeShape {
  return { encoder: [D, ...hidden], latent, decoder: [...[...hidden].reverse(), D] };
}

export function benchPlan(quick: boolean): BenchPlan {
  const batch = quick ? 16 : 500;
  return {
    quick,
    // quick: tiny shapes so the smoke test takes seconds on the software adapter
    shape: quick ? shapeOf([32, 16], 4, 64) : shapeOf([400, 128], 10),
    batch,
    lr: 0.005,
    profileSteps: quick ? 1 : 2,
    gemmReps: quick ? 2 : 3,
    e2eSteps: quick ? 2 : 3,
    cpuSteps: quick ? 2 : 1,
    epochSteps: Math.floor(55_000 / batch),
    validSteps: Math.floor(5_000 / batch),
    scalingBatches: quick ? [8, 16] : [100, 500, 2000],
    scalingWidths: quick ? [1, 2] : [1, 2, 4],
    memoryEpochs: 3,
    memoryTrainBatches: quick ? 2 : 2,
  };
}

export function vaeConfig(plan: BenchPlan, prior: Prior, over: { shape?: VaeShape; batch?: number } = {}): VaeConfig {
  return { shape: over.shape ?? plan.shape, prior, batch: over.batch ?? plan.batch, optimizer: { kind: 'sgd', lr: plan.lr }, seed: 1 };
}

/** Hidden widths scaled by `factor` (latent kept), for the scaling table. */
export function widened(shape: VaeShape, factor: number): VaeShape {
  const hidden = shape.encoder.slice(1).map((w) => w * factor);
  return shapeOf(hidden, shape.latent, shape.encoder[0]);
}
