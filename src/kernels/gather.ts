// Launcher for shaders/gather_batch.wgsl, and the upload of a byte image set to the GPU.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createBuffer, createUniform, type GpuMatrix } from '../gpu/matrix.ts';

export interface GpuImageSet {
  /** 'u8': bytes scaled by 1/255 (images); 'f32': real values as they are */
  format: 'u8' | 'f32';
  images: GPUBuffer;
  /** one u32 class label per item (conditional VAEs), if uploaded */
  labels?: GPUBuffer;
  /** shuffled (or identity) order of image indices for the current epoch */
  order: GPUBuffer;
  /** entries of `order`: the item count, or K times it when every item repeats K times in a row
   *  (the importance-weighted bound's order, train/trainer.ts repeatOrder) */
  count: number;
  D: number;
}

/** Uploads N images of D bytes each (packed 4 per u32), or N points of D f32 values (`f32`: the
 *  bytes of a Float32Array), and makes room for an order of `orderLength` entries (N, or K N when
 *  each item repeats K times). */
export function uploadImages(ctx: GpuContext, pixels: Uint8Array, count: number, D: number, label: string, format: 'u8' | 'f32' = 'u8', labels?: Uint8Array, orderLength = count): GpuImageSet {
  if (!(Number.isInteger(orderLength) && orderLength >= count && orderLength % count === 0)) fail(`${label}: an order of ${orderLength} entries is not a whole number of passes over ${count} items`);
  const width = format === 'f32' ? 4 : 1;
  if (pixels.length !== count * D * width) fail(`${label}: ${pixels.length} bytes is not ${count} ${format === 'f32' ? 'points of' : 'images of'} ${D} ${format === 'f32' ? 'f32 values' : 'pixels'}`);
  const padded = new Uint8Array(Math.ceil(pixels.length / 4) * 4);
  padded.set(pixels);
  const images = createBuffer(ctx, padded.length, `${label}.images`);
  ctx.device.queue.writeBuffer(images, 0, padded);
  const order = createBuffer(ctx, orderLength * 4, `${label}.order`);
  let labelBuf: GPUBuffer | undefined;
  if (labels) {
    if (labels.length !== count) fail(`${label}: ${labels.length} labels for ${count} items`);
    labelBuf = createBuffer(ctx, count * 4, `${label}.labels`);
    ctx.device.queue.writeBuffer(labelBuf, 0, Uint32Array.from(labels));
  }
  return { format, images, labels: labelBuf, order, count: orderLength, D };
}

export interface Gather {
  dispatch: Dispatch;
  /** the batch's labels into `batchLabels` (when asked for) */
  labels?: Dispatch;
  /** sets the step at which the current epoch's order starts (once per epoch) */
  setEpochStart(step: number): void;
}

export function gatherBatch(ctx: GpuContext, a: { set: GpuImageSet; state: GPUBuffer; x: GpuMatrix; batchLabels?: GPUBuffer }): Gather {
  const label = 'gather_batch';
  const B = a.x.rows;
  if (a.x.cols !== a.set.D) fail(`${label}: images have ${a.set.D} pixels but the model input has ${a.x.cols}`);
  if (B > a.set.count) fail(`batch size ${B} is larger than the data set (${a.set.count} images)`);
  const params = createUniform(ctx, `${label}.params`, [['u32', B], ['u32', a.set.D], ['u32', a.x.ld], ['u32', 0]]);
  const pipeline = ctx.pipeline('gather_batch', 'main', { FORMAT: a.set.format === 'f32' ? 1 : 0 });
  let labels: Dispatch | undefined;
  if (a.batchLabels) {
    if (!a.set.labels) fail(`${label}: a conditional model needs the data set's labels, and none were uploaded`);
    const lp = ctx.pipeline('gather_batch', 'labels');
    labels = {
      label: `${label}.labels`, pipeline: lp,
      bindGroup: bindGroup(ctx, lp, { 0: { buffer: params }, 1: { buffer: a.state }, 3: { buffer: a.set.order }, 5: { buffer: a.set.labels }, 6: { buffer: a.batchLabels } }, label),
      workgroups: [Math.ceil(B / 64), 1, 1],
    };
  }
  return {
    labels,
    dispatch: {
      label,
      pipeline,
      bindGroup: bindGroup(ctx, pipeline, [{ buffer: params }, { buffer: a.state }, { buffer: a.set.images }, { buffer: a.set.order }, binding(a.x)], label),
      workgroups: [Math.ceil(a.x.ld / 16 / 64), B, 1],
    },
    setEpochStart(step) {
      ctx.device.queue.writeBuffer(params, 12, new Uint32Array([step]));
    },
  };
}
