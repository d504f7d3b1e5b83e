// Whether a model fits the device's dispatch and buffer limits, computed from the shapes alone so
// a too-wide --hidden or too-large --batch is refused before any dispatch (past the limit WebGPU
// only warns, the dispatch is dropped and the losses read back as zeros).
import { fail } from '../errors.ts';
import { ceil4 } from '../gpu/matrix.ts';
import { layerShapes, type VaeShape } from './shape.ts';
import { paramLayout } from './param_layout.ts';

/** WebGPU's default maxComputeWorkgroupsPerDimension; src/gpu/device.ts requests no more. */
export const MAX_WORKGROUPS_PER_DIMENSION = 65535;

export interface BufferLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

const widthsOf = (shape: VaeShape) => shape.encoder.slice(1).join(',');

/** Dispatch geometry of the training step (src/kernels/*.ts): one workgroup per row in the
 *  gather and loss kernels, 256 vec4 per workgroup in the optimizer. */
export function checkDispatchFit(shape: VaeShape, batch: number): void {
  const max = MAX_WORKGROUPS_PER_DIMENSION;
  if (batch > max) fail(`--batch ${batch} is more than ${max}: the gather and loss kernels dispatch one workgroup per row, at most ${max} per dimension`);
  const bytes = paramLayout(layerShapes(shape)).bytes;
  const groups = Math.ceil(bytes / 16 / 256);
  if (groups > max) {
    fail(`--hidden ${widthsOf(shape)} (latent ${shape.latent}) makes ${Math.round(bytes / 4)} parameters; the optimizer would dispatch ${groups} workgroups, more than the ${max} allowed per dimension (at most about ${max * 256 * 4} parameters): use narrower layers`);
  }
}

/** The largest buffers of a training run against the adapter's limits. */
export function checkBufferFit(shape: VaeShape, batch: number, images: { train: number; valid: number }, lim: BufferLimits): void {
  const cap = Math.min(lim.maxBufferSize, lim.maxStorageBufferBindingSize);
  const D = shape.encoder[0];
  const params = paramLayout(layerShapes(shape)).bytes;
  if (params > cap) fail(`--hidden ${widthsOf(shape)}: the weights need ${params} bytes but this device binds at most ${cap}: use narrower layers`);
  const widest = Math.max(...shape.encoder, ...shape.decoder, 2 * shape.latent);
  const act = batch * ceil4(widest) * 4;
  if (act > cap) fail(`--batch ${batch} with layers up to ${widest} wide needs ${act}-byte activations but this device binds at most ${cap}: lower --batch or --hidden`);
  for (const [name, n, flag] of [['training', images.train, '--limit'], ['validation', images.valid, '--valid-limit']] as const) {
    if (n * D > cap) fail(`the ${name} set (${n} images of ${D} pixels) needs ${n * D} bytes but this device binds at most ${cap}: lower ${flag}`);
  }
}
