// Launcher of shaders/pad_channels.wgsl: copies between an image batch as dense rows (N, P*C) and
// as pixel rows (N*P, C) with channels padded to 4, both ways. The CNN uses it where an image has
// one channel: its input x and output gradient go to pixels, its output logits come back.
import { fail } from '../errors.ts';
import { bindGroup, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { binding, createUniform, type GpuMatrix } from '../gpu/matrix.ts';
import { linearGrid } from './conv_plan.ts';

export function padChannels(ctx: GpuContext, m: { dense: GpuMatrix; pixels: GpuMatrix }): { toPixels: Dispatch; fromPixels: Dispatch } {
  const { dense, pixels } = m;
  const label = `pad_channels(${dense.label} <-> ${pixels.label})`;
  const C = pixels.cols;
  if (pixels.rows % dense.rows !== 0) fail(`${label}: ${pixels.rows} pixel rows are not a whole number of pixels for ${dense.rows} images`);
  const P = pixels.rows / dense.rows;
  if (dense.cols !== P * C) fail(`${label}: dense rows hold ${dense.cols} values but ${P} pixels of ${C} channels need ${P * C}`);
  const count = dense.rows * P * C;
  const u = createUniform(ctx, `${label}.geo`, [['u32', count], ['u32', P], ['u32', C], ['u32', dense.ld], ['u32', pixels.ld], ['u32', 0], ['u32', 0], ['u32', 0]]);
  const grid = linearGrid(label, count, ctx.device.limits);
  const make = (entry: 'to_pixels' | 'from_pixels'): Dispatch => {
    const pipeline = ctx.pipeline('pad_channels', entry);
    return { label: `${label}.${entry}`, pipeline, bindGroup: bindGroup(ctx, pipeline, { 0: { buffer: u }, 1: binding(dense), 2: binding(pixels) }, label), workgroups: grid };
  };
  return { toPixels: make('to_pixels'), fromPixels: make('from_pixels') };
}
