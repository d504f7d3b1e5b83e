// Section 5: GPU memory of a training run, counted by the buffer tracker (memory.ts).
// (a) what the real trainer allocates for a full MNIST-sized run (55,000 + 5,000 images) at
// the bench's shape, by buffer; (b) a short run of the real trainer on a few batches, with the
// bytes alive after every epoch: they must not grow (readbacks destroy their staging buffers).
import type { GpuContext } from '../../src/gpu/context.ts';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import { createTrainer } from '../../src/train/trainer.ts';
import { syntheticImages } from '../synthetic.ts';
import type { MemoryTracker } from './memory.ts';

export interface MemoryReport {
  fullRunBytes: number;
  fullRunByLabel: Record<string, number>;
  smallRun: { trainImages: number; validImages: number; builtBytes: number; epochs: { epoch: number; liveBytes: number; seconds: number; trainLoss: number }[] };
  /** bytes created (and destroyed again) by the epochs: readback staging */
  transientBytes: number;
}

function images(count: number, D: number) {
  return { pixels: syntheticImages(count, D), count, D };
}

export async function memoryReport(ctx: GpuContext, tracker: MemoryTracker, config: VaeConfig, trainBatches: number, epochs: number): Promise<MemoryReport> {
  const D = config.shape.encoder[0], B = config.batch;
  const before = tracker.liveBytes();
  const labelsBefore = tracker.liveByLabel();
  createTrainer(ctx, config, { train: images(55_000, D), valid: images(5_000, D) });
  const fullRunBytes = tracker.liveBytes() - before;
  const fullRunByLabel = Object.fromEntries(
    Object.entries(tracker.liveByLabel()).map(([k, v]) => [k, v - (labelsBefore[k] ?? 0)]).filter(([, v]) => (v as number) > 0),
  );

  const start = tracker.liveBytes();
  const trainer = createTrainer(ctx, config, { train: images(trainBatches * B, D), valid: images(B, D) });
  const builtBytes = tracker.liveBytes() - start;
  const createdAtBuild = tracker.createdBytes();
  const rows = [];
  for (let e = 0; e < epochs; e++) {
    const s = await trainer.runEpoch();
    rows.push({ epoch: s.epoch, liveBytes: tracker.liveBytes() - start, seconds: s.seconds, trainLoss: s.trainLoss });
  }
  return {
    fullRunBytes,
    fullRunByLabel,
    smallRun: { trainImages: trainBatches * B, validImages: B, builtBytes, epochs: rows },
    transientBytes: tracker.createdBytes() - createdAtBuild,
  };
}
