// Checks of what the page hands the playground, each failing with one sentence that names the
// value: images (count, D, square side, pixels in [0, 1]) and models (1 or 2, each a Bernoulli,
// unconditional VAE whose weights fit its config, all taking the images' D pixels).
import { fail } from '../../errors.ts';
import type { VaeConfig } from '../../model/vae_gpu.ts';
import { modelLayout } from '../../parts/model.ts';

export interface PlaygroundModel {
  label: string;
  config: VaeConfig;
  params: Float32Array;
  /** opaque extra tensor (batch-norm running statistics of CNN models); not used by the
   *  evaluator yet, which has no parameter for it */
  netState?: Float32Array;
}

export interface TestImages {
  pixels: Float32Array;
  count: number;
  D: number;
}

/** The image side: D must be side x side, and side at least 4 (the squares mask's largest side). */
export function validateImages(t: TestImages): number {
  if (!(t.pixels instanceof Float32Array)) fail('playground images: pixels must be a Float32Array');
  if (!Number.isInteger(t.count) || t.count < 1) fail(`playground images: count must be a positive integer, got ${t.count}`);
  if (!Number.isInteger(t.D) || t.D < 1) fail(`playground images: D must be a positive integer, got ${t.D}`);
  const side = Math.round(Math.sqrt(t.D));
  if (side * side !== t.D) fail(`playground images: D must be a square number of pixels (28 x 28 = 784 for MNIST), got D = ${t.D}`);
  if (side < 4) fail(`playground images: the squares mask needs images of side 4 or more, got D = ${t.D} (side ${side})`);
  if (t.pixels.length !== t.count * t.D) fail(`playground images: ${t.count} images of D = ${t.D} pixels need ${t.count * t.D} values, got ${t.pixels.length}`);
  for (let i = 0; i < t.pixels.length; i++) {
    const v = t.pixels[i];
    if (!(v >= 0 && v <= 1)) fail(`playground images: pixels must be in [0, 1], got ${v} at image ${Math.floor(i / t.D)}, pixel ${i % t.D}`);
  }
  return side;
}

/** The models' common input size D; `imagesD` (when images are set) must equal it. */
export function validateModels(models: readonly PlaygroundModel[], imagesD?: number): number {
  if (!Array.isArray(models) || models.length < 1 || models.length > 2) {
    fail(`playground: setModels takes 1 or 2 models, got ${Array.isArray(models) ? models.length : String(models)}`);
  }
  const D = models[0].config?.shape?.encoder?.[0];
  for (const [i, m] of models.entries()) {
    const name = typeof m.label === 'string' && m.label !== '' ? `"${m.label}"` : `#${i + 1}`;
    if (typeof m.label !== 'string' || m.label === '') fail(`playground: model ${name} needs a non-empty label`);
    if (!m.config?.shape?.encoder) fail(`playground: model ${name} has no config.shape`);
    if (!(m.params instanceof Float32Array)) fail(`playground: model ${name}: params must be a Float32Array`);
    const kind = m.config.likelihood?.kind ?? 'bernoulli';
    if (kind !== 'bernoulli') fail(`playground: model ${name} has a ${kind} decoder; prediction and MwG need a Bernoulli one`);
    if (m.config.classes) fail(`playground: model ${name} is conditional (${m.config.classes} classes); the imputers encode without labels`);
    const own = m.config.shape.encoder[0];
    if (own !== D) fail(`playground: mismatched configs: model #1 takes D = ${D} pixels but model ${name} takes D = ${own}`);
    const bytes = modelLayout(m.config).bytes;
    if (m.params.byteLength !== bytes) fail(`playground: model ${name}: params hold ${m.params.byteLength} bytes but its config needs ${bytes}: another architecture?`);
  }
  if (imagesD !== undefined && D !== imagesD) fail(`playground: the models take D = ${D} pixels but the test images have D = ${imagesD}`);
  return D;
}
