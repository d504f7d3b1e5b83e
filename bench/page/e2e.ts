// Sections 3, 4 and 7: wall time of whole training steps, ours and TF.js's, on the same page.
// Each side runs warm-up steps (pipeline compiles), then `steps` training steps and one
// validation step timed to queue completion. An epoch is extrapolated from them (a full epoch
// is minutes on a software adapter): epochSteps training + validSteps validation steps.
import type { GpuContext } from '../../src/gpu/context.ts';
import { readBytes } from '../../src/gpu/matrix.ts';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import { syntheticImages, toUnit } from '../synthetic.ts';
import { buildTrainStep, rewind, stepFlops } from './step.ts';
import { tfSync } from './tf_setup.ts';
import { buildTfCnnVae } from './tf_cnn_vae.ts';
import { buildTfVae } from './tf_vae.ts';
import { wallMs } from './timing.ts';

export interface StepTiming {
  stepMs: number;
  validMs: number;
  steps: number;
  stepGflop: number;
  /** mean loss per row over every step run: finite and alike on all sides, or a side is not
   *  computing the same model (the noise and batches differ, so only roughly alike) */
  meanLoss: number;
  /** the host's main thread's share of the process's CPU over the timed steps, where the
   *  runtime can tell (in-process Node: /proc); absent in a browser */
  mainCpuShare?: number;
}

/** The main thread's and the process's CPU seconds so far, where the runtime can read them. */
export type CpuProbe = () => { main: number; total: number } | undefined;

/** Runs `f` and returns its result with the main thread's share of the CPU it took. */
async function withCpuShare<T>(probe: CpuProbe | undefined, f: () => Promise<T>): Promise<{ value: T; share?: number }> {
  const a = probe?.();
  const value = await f();
  const b = probe?.();
  if (!a || !b || b.total <= a.total) return { value };
  return { value, share: (b.main - a.main) / (b.total - a.total) };
}

export async function oursStepTiming(ctx: GpuContext, config: VaeConfig, steps: number, probe?: CpuProbe): Promise<StepTiming> {
  const step = buildTrainStep(ctx, config, steps + 2);
  await wallMs(ctx, step.train, 1); // warm-up (validation uses the same pipelines)
  const timed = await withCpuShare(probe, () => wallMs(ctx, step.train, steps));
  const stepMs = timed.value / steps;
  const validMs = await wallMs(ctx, step.valid, 1);
  rewind(ctx, step);
  const [re, kl, rows] = new Float32Array(await readBytes(ctx, step.sums, 0, 16));
  return { stepMs, validMs, steps, stepGflop: stepFlops(config) / 1e9, meanLoss: (re + kl) / rows, ...(timed.share === undefined ? {} : { mainCpuShare: timed.share }) };
}

async function tfMs(f: () => void): Promise<number> {
  await tfSync();
  const t0 = performance.now();
  f();
  await tfSync();
  return performance.now() - t0;
}

export async function tfStepTiming(config: VaeConfig, steps: number, probe?: CpuProbe): Promise<StepTiming> {
  const B = config.batch, D = config.shape.encoder[0], count = (steps + 2) * B;
  const images = toUnit(syntheticImages(count, D));
  const vae = config.net ? buildTfCnnVae(config, images, count) : buildTfVae(config, images, count);
  try {
    // warm-up of both paths: TF.js compiles the loss without its gradient tape separately
    // (a first validation step costs about 3x a later one)
    await tfMs(() => vae.trainStep(0)); // its loss is in the sum too
    await tfMs(() => vae.validStep(0));
    const timed = await withCpuShare(probe, () => tfMs(() => { for (let s = 1; s <= steps; s++) vae.trainStep(s); }));
    const stepMs = timed.value / steps;
    const validMs = await tfMs(() => vae.validStep(steps + 1));
    const share = timed.share === undefined ? {} : { mainCpuShare: timed.share };
    return { stepMs, validMs, steps, stepGflop: stepFlops(config) / 1e9, meanLoss: (await vae.lossSum()) / (steps + 1), ...share };
  } finally {
    vae.dispose();
  }
}
