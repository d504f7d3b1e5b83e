// The model's weights as named, unpadded tensors (PyTorch layout: weight (out, in), bias (out)),
// the form written to weights.safetensors for use outside tvae.
import { unpackExtra, unpackParams, type ParamLayout } from './param_layout.ts';
import type { VaeConfig } from './vae_gpu.ts';
import { modelPlan } from '../parts/model.ts';
import { cnnTensors } from '../parts/network/cnn_tensors.ts';

/** Any model's weights by name: the MLP's dense layers, or the CNN's tensors in PyTorch's layouts
 *  (batch-norm running statistics included, see src/parts/network/cnn_tensors.ts). */
export function modelWeights(config: VaeConfig, layout: ParamLayout, block: Float32Array): Record<string, { data: Float32Array; shape: number[] }> {
  const plan = modelPlan(config);
  if (!plan) return namedWeights(layout, config.shape.encoder.length, block);
  const out: Record<string, { data: Float32Array; shape: number[] }> = {};
  for (const [k, t] of Object.entries(cnnTensors(plan, layout, block))) out[k] = { data: Float32Array.from(t.data), shape: t.shape };
  if (layout.extra) out['likelihood.logvar'] = { data: unpackExtra(layout, block), shape: [layout.extra.count] };
  return out;
}

export function namedWeights(layout: ParamLayout, encoderLayers: number, block: Float32Array): Record<string, { data: Float32Array; shape: number[] }> {
  const out: Record<string, { data: Float32Array; shape: number[] }> = {};
  unpackParams(layout, block).forEach(({ w, b }, i) => {
    const s = layout.layers[i];
    const name = i < encoderLayers ? `encoder.${i}` : `decoder.${i - encoderLayers}`;
    out[`${name}.weight`] = { data: w, shape: [s.out, s.in] };
    out[`${name}.bias`] = { data: b, shape: [s.out] };
  });
  if (layout.extra) out['likelihood.logvar'] = { data: unpackExtra(layout, block), shape: [layout.extra.count] };
  return out;
}
