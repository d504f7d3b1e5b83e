// The model's weights as named, unpadded tensors (PyTorch layout: weight (out, in), bias (out)),
// the form written to weights.safetensors for use outside tvae.
import { unpackExtra, unpackParams, type ParamLayout } from './param_layout.ts';

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
