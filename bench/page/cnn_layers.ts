// The CNN VAE's conv layers as the bench sees them: every conv and transposed conv of a network at
// a batch size (taken from the model's own plan, so the bench times the shapes the trainer runs),
// and the FLOPs of their passes and of a whole training step. Both sides of every comparison are
// charged the same FLOPs from these functions, so a ratio of GFLOP/s is a ratio of times.
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import { modelPlan } from '../../src/parts/model.ts';
import type { CnnPlan } from '../../src/parts/network/cnn.ts';
import { convOut, type ConvT2dShape } from '../../src/ref/conv2d.ts';
import { fail } from '../../src/errors.ts';

export interface ConvLayerSpec {
  /** the parameter slot's name (encoder.conv0, decoder.deconv2, ...) */
  name: string;
  kind: 'conv' | 'convT';
  /** convs carry outputPadding 0 */
  shape: ConvT2dShape;
}

/** Encoder convs then decoder transposed convs, in forward order, at batch N. */
export function cnnConvLayers(plan: CnnPlan, N: number): ConvLayerSpec[] {
  const n = plan.net.channels.length;
  return [
    ...Array.from({ length: n }, (_, i) => ({ name: `encoder.conv${i}`, kind: 'conv' as const, shape: { ...plan.conv(i, N), outputPadding: 0 } })),
    ...Array.from({ length: n }, (_, j) => ({ name: `decoder.deconv${j}`, kind: 'convT' as const, shape: plan.convT(j, N) })),
  ];
}

/** "1->32 3x3/2 28x28->14x14": channels, kernel/stride, spatial sizes in and out. */
export function describeLayer(l: ConvLayerSpec): string {
  const s = l.shape;
  const [Ho, Wo] = l.kind === 'conv' ? [convOut(s).Ho, convOut(s).Wo] : [(s.H - 1) * s.stride - 2 * s.pad + s.KH + s.outputPadding, (s.W - 1) * s.stride - 2 * s.pad + s.KW + s.outputPadding];
  return `${s.Cin}->${s.Cout} ${s.KH}x${s.KW}/${s.stride} ${s.H}x${s.W}->${Ho}x${Wo}`;
}

/** FLOPs of one pass (forward, backward to the input, or to the weights: all three do the same
 *  multiply-adds): 2 per (small pixel, tap, input channel, output channel), border taps included.
 *  The small image is a conv's output and a transposed conv's input. */
export function convPassFlops(l: ConvLayerSpec): number {
  const s = l.shape;
  const [Hs, Ws] = l.kind === 'conv' ? [convOut(s).Ho, convOut(s).Wo] : [s.H, s.W];
  return 2 * s.N * Hs * Ws * s.Cin * s.Cout * s.KH * s.KW;
}

/** FLOPs of one training step of a CNN VAE: every conv pass (no gradient into the image itself,
 *  so the first conv has no backward-to-input pass) and the two dense layers' three GEMMs each.
 *  Batch norm, activations, the latent part and the loss are O(activations) and left out. */
export function cnnStepFlops(config: VaeConfig): number {
  const plan = modelPlan(config) ?? fail('cnnStepFlops: the configuration is not a CNN');
  const B = config.batch;
  const convs = cnnConvLayers(plan, B).reduce((sum, l, i) => sum + (i === 0 ? 2 : 3) * convPassFlops(l), 0);
  const dense = plan.slots.filter((s) => s.kind === 'dense').reduce((sum, s) => sum + 3 * 2 * B * s.cin * s.cout, 0);
  return convs + dense;
}
