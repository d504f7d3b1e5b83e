// What the bench measures and how often: the reference size, the quick (smoke test) size, and the
// repetition counts. Shared by the Node driver and the bench page so both agree on every shape.
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { defaultCnn, type CnnNet } from '../src/parts/network/cnn.ts';
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

/** The CNN VAE's two priors: the Gaussian and the multivariate t (one chi2 per latent vector). */
export const CNN_MODELS: readonly ModelSpec[] = [
  { name: 'gaussian', prior: { kind: 'gaussian' } },
  { name: 't', prior: { kind: 't', nu: 21, multivariate: true } },
];

/** Sections 6 and 7: the CNN VAE's conv layers and its training step. */
export interface CnnBenchPlan {
  net: CnnNet;
  latent: number;
  /** images per batch of both sections (the conv layers are timed at the step's shapes) */
  batch: number;
  /** Adam, as the CNN is trained (the MLP bench's SGD would leave the batch-norm scales crawling) */
  lr: number;
  /** training steps timed per model and side (after one warm-up) */
  steps: number;
  /** repetitions per conv pass (best kept, after one warm-up) */
  convReps: number;
}

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
  cnn: CnnBenchPlan;
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
    // quick: the default CNN's 28x28 geometry (its output paddings included) with few channels
    cnn: {
      net: quick ? { ...defaultCnn(), channels: [4, 8, 16] } : defaultCnn(),
      latent: 3,
      batch: quick ? 8 : 512,
      lr: 0.001,
      steps: quick ? 1 : 2,
      convReps: quick ? 1 : 2,
    },
  };
}

export function vaeConfig(plan: BenchPlan, prior: Prior, over: { shape?: VaeShape; batch?: number } = {}): VaeConfig {
  return { shape: over.shape ?? plan.shape, prior, batch: over.batch ?? plan.batch, optimizer: { kind: 'sgd', lr: plan.lr }, seed: 1 };
}

/** A CNN VAE of the plan's network with this prior (input and output = the network's image). */
export function cnnConfig(plan: BenchPlan, prior: Prior): VaeConfig {
  const { net, latent, batch, lr } = plan.cnn;
  const D = net.image.height * net.image.width * net.image.channels;
  return { shape: { encoder: [D], latent, decoder: [D] }, prior, net, batch, optimizer: { kind: 'adam', lr }, seed: 1 };
}

/** Hidden widths scaled by `factor` (latent kept), for the scaling table. */
export function widened(shape: VaeShape, factor: number): VaeShape {
  const hidden = shape.encoder.slice(1).map((w) => w * factor);
  return shapeOf(hidden, shape.latent, shape.encoder[0]);
}
