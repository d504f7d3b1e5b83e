// One training step of a VAE as the list of dispatches the trainer encodes per minibatch, taken
// from the trainer itself (stepDispatches: gather, noise, forward, backward, loss sums, update, step
// counter), built from the model's own prepared dispatches, plus the FLOPs of each GEMM so the
// profile can report GFLOP/s. The end-to-end section times this list like the trainer submits
// it; the memory section runs the trainer itself, and the two agree (see the report).
import type { Dispatch, GpuContext } from '../../src/gpu/context.ts';
import { createBuffer } from '../../src/gpu/matrix.ts';
import { gatherBatch, uploadImages } from '../../src/kernels/gather.ts';
import { buildVae, type GpuVae, type VaeConfig } from '../../src/model/vae_gpu.ts';
import { layerShapes } from '../../src/ref/vae.ts';
import { stepDispatches, writeInitialWeights } from '../../src/train/trainer.ts';
import { fail } from '../../src/errors.ts';
import { syntheticImages } from '../synthetic.ts';
import { cnnStepFlops } from './cnn_layers.ts';

export interface TrainStep {
  vae: GpuVae;
  /** the whole training step, in the trainer's order */
  train: Dispatch[];
  /** a validation step: the same without backward and update */
  valid: Dispatch[];
  /** FLOPs of each dispatch of `train` (2·M·N·K for an MLP's GEMMs, 0 for the rest; all 0 for a
   *  CNN, whose step is only timed whole: its total is cnnStepFlops) */
  flops: number[];
  /** loss sums of every step run: [sum RE, sum KL, rows, non-finite rows] */
  sums: GPUBuffer;
}

export function buildTrainStep(ctx: GpuContext, config: VaeConfig, batches = 4): TrainStep {
  const vae = buildVae(ctx, config);
  const B = config.batch, D = config.shape.encoder[0];
  writeInitialWeights(ctx, vae);
  // `batches` batches of images in order; the step counter wraps back by resetting it per run
  const set = uploadImages(ctx, syntheticImages(batches * B, D), batches * B, D, 'bench');
  ctx.device.queue.writeBuffer(set.order, 0, Uint32Array.from({ length: batches * B }, (_, i) => i));
  const gather = gatherBatch(ctx, { set, state: vae.state, x: vae.x });
  const sums = createBuffer(ctx, 16, 'bench.sums');
  const o = { gather: gather.dispatch, state: vae.state, seed: config.seed, sums };
  const train = stepDispatches(ctx, vae, { ...o, train: true });
  return { vae, train, valid: stepDispatches(ctx, vae, { ...o, train: false }), flops: config.net ? train.map(() => 0) : gemmFlops(config, train), sums };
}

/** Puts the step counter back to 0 so a run of at most `batches` steps reads images in range. */
export function rewind(ctx: GpuContext, step: TrainStep): void {
  ctx.device.queue.writeBuffer(step.vae.state, 0, new Uint32Array([0, 0, 0, 0]));
}

/** 2·B·in·out per GEMM, found by the layer buffer each GEMM writes (names from buildVae). */
function gemmFlops(config: VaeConfig, dispatches: readonly Dispatch[]): number[] {
  const specs = layerShapes(config.shape);
  const nEnc = config.shape.encoder.length;
  const layerOf = new Map<string, number>();
  specs.forEach((_, i) => {
    layerOf.set(`gemm_xwt(${i === nEnc - 1 ? 'h' : i === specs.length - 1 ? 'logits' : `act${i}`})`, i);
    layerOf.set(`gemm_dytx(grad${i}.w)`, i);
    if (i > 0) layerOf.set(`gemm_dyw(${i === nEnc ? 'dz' : `d_act${i - 1}`})`, i);
  });
  const flops = dispatches.map((d) => {
    if (!d.label.startsWith('gemm_')) return 0;
    const i = layerOf.get(d.label);
    if (i === undefined) fail(`bench: cannot tell which layer ${d.label} belongs to (did buildVae rename its buffers?)`);
    return 2 * config.batch * specs[i].in * specs[i].out;
  });
  const expected = stepFlops(config);
  const found = flops.reduce((a, b) => a + b, 0);
  if (found !== expected) fail(`bench: found ${found} GEMM FLOPs in the step, expected ${expected}`);
  return flops;
}

/** FLOPs of one training step: the GEMMs (the rest is O(B·width), negligible next to them).
 *  Every layer has a forward and a weight-gradient GEMM, all but the first an input-gradient one.
 *  A CNN's: its conv passes and dense layers (cnn_layers.ts). */
export function stepFlops(config: VaeConfig): number {
  if (config.net) return cnnStepFlops(config);
  return layerShapes(config.shape).reduce((s, l, i) => s + (i === 0 ? 2 : 3) * 2 * config.batch * l.in * l.out, 0);
}
