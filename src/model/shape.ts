// A dense VAE's shape: the layer sizes, their validation, the dense layers they imply and the
// initial weights. Production code (the trainer, the GPU model, the CLI) and the float64 model of
// src/ref/vae.ts share this: it is arithmetic on sizes, not a formula any kernel implements, so
// sharing it costs the oracle nothing.
// Layers (see layerShapes): encoder[i] -> encoder[i+1] ReLU, encoder[last] -> head linear
// (h = [mu | logvar] for a diagonal posterior), then latent -> decoder[0] -> ... -> decoder[last]
// = encoder[0] (half of it for a masked table model), ReLU on all decoder layers but the last.
import { TvaeError } from '../errors.ts';

export interface VaeShape {
  encoder: number[];
  latent: number;
  decoder: number[];
  /** a table model: the input rows are [x | mask], so encoder[0] is twice the decoder's output */
  masked?: boolean;
}

/** One dense layer: w is (out, in) row-major, b is (out). */
export interface Dense { out: number; in: number; w: Float64Array; b: Float64Array }
export interface LayerShape { in: number; out: number; relu: boolean }

/** The decoder's output width (the data's width; half the input for a masked table model). */
export const outputWidth = (shape: VaeShape): number => shape.decoder[shape.decoder.length - 1];

/** Throws naming `name` and the value unless v is an integer >= 1. */
export function checkSize(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new TvaeError(`VaeShape: ${name} must be an integer >= 1, got ${String(v)}`);
  }
}

/** Throws an Error naming the offending value when the shape is not a valid VAE. */
export function validateShape(shape: VaeShape): void {
  if (!Array.isArray(shape.encoder) || shape.encoder.length < 1) throw new TvaeError('VaeShape: encoder must be a non-empty array');
  if (!Array.isArray(shape.decoder) || shape.decoder.length < 1) throw new TvaeError('VaeShape: decoder must be a non-empty array');
  shape.encoder.forEach((v, i) => checkSize(`encoder[${i}]`, v));
  checkSize('latent', shape.latent);
  shape.decoder.forEach((v, i) => checkSize(`decoder[${i}]`, v));
  const last = shape.decoder[shape.decoder.length - 1];
  if (shape.masked !== undefined && typeof shape.masked !== 'boolean') throw new TvaeError(`VaeShape: masked must be true or false, got ${String(shape.masked)}`);
  if (shape.masked) {
    if (shape.encoder[0] !== 2 * last) throw new TvaeError(`VaeShape: a masked model's input [x | mask] is twice its output, but encoder[0] = ${shape.encoder[0]} and the decoder's last size is ${last}`);
  } else if (last !== shape.encoder[0]) {
    throw new TvaeError(`VaeShape: decoder's last size ${last} must equal encoder[0] = ${shape.encoder[0]}`);
  }
}

/** The dense layers in order (encoder, then decoder). `head`: the encoder's output columns, 2L
 *  ([mu | logvar]) unless the latent part needs more. */
export function layerShapes(shape: VaeShape, head = 2 * shape.latent, classes = 0): LayerShape[] {
  validateShape(shape);
  checkSize('head', head);
  if (!Number.isInteger(classes) || classes < 0) throw new TvaeError(`classes must be an integer >= 0, got ${classes}`);
  const out: LayerShape[] = [];
  const e = shape.encoder, d = shape.decoder;
  // a conditional VAE's first encoder layer and first decoder layer also read the one-hot label
  for (let i = 0; i + 1 < e.length; i++) out.push({ in: e[i] + (i === 0 ? classes : 0), out: e[i + 1], relu: true });
  out.push({ in: e[e.length - 1] + (e.length === 1 ? classes : 0), out: head, relu: false });
  let prev = shape.latent + classes;
  for (let i = 0; i < d.length; i++) {
    out.push({ in: prev, out: d[i], relu: i < d.length - 1 });
    prev = d[i];
  }
  return out;
}

/** Number of encoder layers (the decoder layers follow them in layerShapes order). */
export function encoderLayerCount(shape: VaeShape): number {
  return shape.encoder.length;
}

/** Weights std * N(0,1) drawn row-major layer by layer from rand; zero biases. */
export function initParams(shape: VaeShape, rand: () => number, std = 0.1, head = 2 * shape.latent, classes = 0): Dense[] {
  return layerShapes(shape, head, classes).map((ls) => {
    const w = new Float64Array(ls.out * ls.in);
    for (let i = 0; i < w.length; i++) w[i] = std * rand();
    return { out: ls.out, in: ls.in, w, b: new Float64Array(ls.out) };
  });
}
