// The training scheduler: encodes each minibatch's whole step (gather, noise, encoder, sampling +
// KL, decoder, loss, backward, update, step counter) into command buffers with no CPU round trip,
// runs validation, and reads the loss sums back once per epoch. Runtime-agnostic: it takes a
// GpuContext, so the page, headless Chromium and Node (`webgpu`) all train through it.
import { validationSeed } from './seeds.ts';
import { nanHint } from './nan_hint.ts';
import { fail } from '../errors.ts';
import { dispatchEncoder, encodeDispatches, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { createBuffer, readBytes } from '../gpu/matrix.ts';
import { pipelinedChunks } from '../gpu/settle.ts';
import { gatherBatch, uploadImages, type Gather, type GpuImageSet } from '../kernels/gather.ts';
import { createTrainState, lossAccumulate, stepAdvance } from '../kernels/train_state.ts';
import { buildVae, type GpuVae, type VaeConfig } from '../model/vae_gpu.ts';
import { packParams } from '../model/param_layout.ts';
import { initParams } from '../model/shape.ts';
import { modelPlan } from '../parts/model.ts';
import { cnnBlock, initCnnTensors } from '../parts/network/cnn_tensors.ts';
import { createRng, permutation } from '../rng.ts';

export interface ImageBytes {
  /** bytes of the images, or with format 'f32' the bytes of a Float32Array of real values */
  pixels: Uint8Array;
  count: number;
  D: number;
  format?: 'u8' | 'f32';
  /** one class label per item: needed by conditional models */
  labels?: Uint8Array;
}

export interface EpochStats {
  epoch: number;
  step: number;
  trainRe: number;
  trainKl: number;
  trainLoss: number;
  validRe: number;
  validKl: number;
  validLoss: number;
  seconds: number;
}

export interface TrainerState {
  epoch: number;
  step: number;
  params: Float32Array;
  /** optimizer moments (Adam's m and v), empty for SGD */
  moments: Float32Array[];
}

export interface Trainer {
  vae: GpuVae;
  readonly epoch: number;
  readonly stepsPerEpoch: number;
  /** Trains one epoch and validates; on a non-finite loss restores the last good state and throws. */
  runEpoch(onProgress?: (stepsDone: number, steps: number) => void): Promise<EpochStats>;
  exportState(): Promise<TrainerState>;
  importState(s: TrainerState): void;
}


interface Stream {
  set: GpuImageSet;
  gather: Gather;
  state: GPUBuffer;
  sums: GPUBuffer;
  step: Dispatch[];
  batches: number;
}

/** The reference's initialisation: weights N(0, 0.1) from the model's seed, zero biases. */
export function writeInitialWeights(ctx: GpuContext, vae: GpuVae): void {
  const r = createRng(vae.config.seed);
  const plan = modelPlan(vae.config);
  if (plan) {
    ctx.device.queue.writeBuffer(vae.params, 0, cnnBlock(plan, vae.layout, initCnnTensors(plan, () => r.normal()), new Float64Array(vae.layout.extra?.count ?? 0)));  // learned log-variances start at 0, as the MLP's
    return;
  }
  const head = vae.layout.layers[vae.config.shape.encoder.length - 1].out;
  ctx.device.queue.writeBuffer(vae.params, 0, packParams(vae.layout, initParams(vae.config.shape, () => r.normal(), 0.1, head, vae.config.classes ?? 0)));
}

/** One minibatch's dispatches, in order: gather, noise, forward, [backward], loss sums, [update],
 *  step counter. A validation step leaves out backward and update. */
export function stepDispatches(
  ctx: GpuContext,
  vae: GpuVae,
  o: { gather: Dispatch | Dispatch[]; state: GPUBuffer; seed: number; sums: GPUBuffer; train: boolean },
): Dispatch[] {
  return [
    ...[o.gather].flat(),
    vae.sampler(o.state, o.seed),
    // validation runs in evaluation mode (batch norm from the running statistics), as evaluation does
    ...(o.train ? vae.forward : vae.evalForward),
    ...(o.train ? vae.backward : []),
    lossAccumulate(ctx, { re: vae.lossRe, kl: vae.lossKl, sums: o.sums }),
    ...(o.train ? [vae.update] : []),
    stepAdvance(ctx, o.state),
  ];
}

/** The training order of an epoch depends only on (seed, epoch), so a resumed run shuffles alike. */
export function epochOrder(seed: number, epoch: number, count: number): Uint32Array {
  return permutation(count, createRng(seed * 7919 + epoch * 104729 + 1));
}

/** Each index K times in a row: the gather's order when the importance-weighted bound replicates
 *  every data row of a batch K times (the gather then reads batch K entries per step). */
export function repeatOrder(order: Uint32Array, K: number): Uint32Array {
  const out = new Uint32Array(order.length * K);
  for (let i = 0; i < order.length; i++) out.fill(order[i], i * K, (i + 1) * K);
  return out;
}

export function createTrainer(ctx: GpuContext, config: VaeConfig, data: { train: ImageBytes; valid: ImageBytes }): Trainer {
  const vae = buildVae(ctx, config, { iw: config.iw });
  const B = config.batch, K = config.iw ?? 1;
  const D = config.shape.encoder[0];
  for (const [name, set] of [['training', data.train], ['validation', data.valid]] as const) {
    if (set.D !== D) fail(`${name} images have ${set.D} pixels but the model's input has ${D}`);
    if (set.count < B) fail(`batch size ${B} is larger than the ${name} set (${set.count} images)`);
  }
  writeInitialWeights(ctx, vae);

  const makeStream = (set: ImageBytes, label: string, state: GPUBuffer, train: boolean): Stream => {
    if (config.classes && !set.labels) fail(`a conditional model needs the ${label} set's labels`);
    // with the importance-weighted bound the order lists each row K times (repeatOrder)
    const gpuSet = uploadImages(ctx, set.pixels, set.count, D, label, set.format, config.classes ? set.labels : undefined, set.count * K);
    const gather = gatherBatch(ctx, { set: gpuSet, state, x: vae.x, batchLabels: vae.labels });
    const sums = createBuffer(ctx, 16, `${label}.sums`);
    const seed = train ? config.seed : validationSeed(config.seed);
    const step = stepDispatches(ctx, vae, { gather: gather.labels ? [gather.dispatch, gather.labels] : gather.dispatch, state, seed, sums, train });
    return { set: gpuSet, gather, state, sums, step, batches: Math.floor(set.count / B) };
  };
  const train = makeStream(data.train, 'train', vae.state, true);
  const valid = makeStream(data.valid, 'valid', createTrainState(ctx), false);
  ctx.device.queue.writeBuffer(valid.set.order, 0, repeatOrder(Uint32Array.from({ length: data.valid.count }, (_, i) => i), K));

  // the last state whose losses were finite, restored if an epoch blows up
  const goodParams = createBuffer(ctx, vae.layout.bytes, 'good_params');
  const goodMoments = vae.optimizerState.map((_, i) => createBuffer(ctx, vae.layout.bytes, `good_moment${i}`));
  const snapshot = (from: GPUBuffer[], to: GPUBuffer[]) => {
    const enc = ctx.device.createCommandEncoder();
    from.forEach((f, i) => enc.copyBufferToBuffer(f, 0, to[i], 0, vae.layout.bytes));
    ctx.device.queue.submit([enc.finish()]);
  };
  const live = [vae.params, ...vae.optimizerState], good = [goodParams, ...goodMoments];
  snapshot(live, good);

  let epoch = 0, step = 0, validStep = 0;
  const chunk = 8; // steps per submit: progress granularity, not a sync point on the data

  async function runStream(s: Stream, startStep: number, onProgress?: (done: number, total: number) => void): Promise<Float32Array> {
    s.gather.setEpochStart(startStep);
    ctx.device.queue.writeBuffer(s.sums, 0, new Float32Array(4));
    const chunks = Math.ceil(s.batches / chunk);
    const steps = (k: number) => Math.min(chunk, s.batches - k * chunk);
    const submit = (k: number): Promise<unknown> => {
      const enc = ctx.device.createCommandEncoder();
      const passes = dispatchEncoder(enc);
      for (let i = 0; i < steps(k); i++) encodeDispatches(passes, s.step);
      passes.end();
      ctx.device.queue.submit([enc.finish()]);
      // only progress needs to know when a chunk ends; the losses are read once at the end
      return onProgress ? ctx.device.queue.onSubmittedWorkDone() : Promise.resolve();
    };
    // chunk k+1 is queued before chunk k is awaited, so drawing progress never idles the GPU
    if (onProgress) await pipelinedChunks(chunks, submit, (k) => onProgress(k * chunk + steps(k), s.batches), ctx.settle);
    else for (let k = 0; k < chunks; k++) submit(k);
    return new Float32Array(await readBytes(ctx, s.sums, 0, 16));
  }

  return {
    vae,
    get epoch() {
      return epoch;
    },
    stepsPerEpoch: train.batches,
    async runEpoch(onProgress) {
      const t0 = performance.now();
      ctx.device.queue.writeBuffer(train.set.order, 0, repeatOrder(epochOrder(config.seed, epoch + 1, data.train.count), K));
      const t = await runStream(train, step, onProgress);
      const v = await runStream(valid, validStep, undefined);
      const bad = t[3] + v[3];
      if (bad > 0 || ![...t, ...v].every(Number.isFinite)) {
        snapshot(good, live);
        ctx.device.queue.writeBuffer(vae.state, 0, new Uint32Array([step, 0, 0, 0]));
        ctx.device.queue.writeBuffer(valid.state, 0, new Uint32Array([validStep, 0, 0, 0]));
        fail(`the loss became NaN or infinite in epoch ${epoch + 1} (${bad} rows); training stopped and the weights after epoch ${epoch} were kept (${nanHint(config)})`);
      }
      snapshot(live, good);
      epoch += 1;
      step += train.batches;
      validStep += valid.batches;
      const stats = {
        epoch,
        step,
        trainRe: t[0] / t[2],
        trainKl: t[1] / t[2],
        trainLoss: (t[0] + t[1]) / t[2],
        validRe: v[0] / v[2],
        validKl: v[1] / v[2],
        validLoss: (v[0] + v[1]) / v[2],
        seconds: (performance.now() - t0) / 1000,
      };
      return stats;
    },
    async exportState() {
      const read = async (b: GPUBuffer) => new Float32Array(await readBytes(ctx, b, 0, vae.layout.bytes));
      return { epoch, step, params: await read(vae.params), moments: await Promise.all(vae.optimizerState.map(read)) };
    },
    importState(s) {
      if (s.params.byteLength !== vae.layout.bytes) fail(`checkpoint parameters hold ${s.params.byteLength} bytes but this model needs ${vae.layout.bytes}: another architecture?`);
      if (s.moments.length !== vae.optimizerState.length) fail(`checkpoint has ${s.moments.length} optimizer moments but ${config.optimizer.kind} needs ${vae.optimizerState.length}`);
      ctx.device.queue.writeBuffer(vae.params, 0, s.params);
      s.moments.forEach((m, i) => ctx.device.queue.writeBuffer(vae.optimizerState[i], 0, m));
      epoch = s.epoch;
      step = s.step;
      validStep = s.epoch * valid.batches;
      ctx.device.queue.writeBuffer(vae.state, 0, new Uint32Array([step, 0, 0, 0]));
      ctx.device.queue.writeBuffer(valid.state, 0, new Uint32Array([validStep, 0, 0, 0]));
      snapshot(live, good);
    },
  };
}
