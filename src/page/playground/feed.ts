// The training page's imputation playground: started on the page's views device, then handed
// every model's config and weights after each epoch and after a load. The playground imputes
// images with Bernoulli, unconditional models only: for other sessions it is hidden rather than
// handed models it refuses.
import type { ImageSet } from '../../data/idx_parse.ts';
import { toFloatPixels } from '../../data/split.ts';
import type { GpuContext } from '../../gpu/context.ts';
import type { VaeConfig } from '../../model/vae_gpu.ts';
import { createPlayground, type Playground } from './playground.ts';

export interface FedModel {
  label: string;
  config: VaeConfig;
  params?: Float32Array;
  epoch: number;
}

/** Feeds (or hides) the playground; returns what it was handed, for the page's state. */
export function feedPlayground(playground: Playground | undefined, root: HTMLElement, models: readonly FedModel[], synthetic: boolean): { label: string; epoch: number }[] {
  const ready = models.filter((m) => m.params);
  const fits = !synthetic && ready.length > 0 && ready.every((m) => (m.config.likelihood?.kind ?? 'bernoulli') === 'bernoulli' && !m.config.classes);
  root.hidden = !playground || !fits;
  if (!playground || !fits) return [];
  playground.setModels(ready.map((m) => ({ label: m.label, config: m.config, params: m.params! })));
  return ready.map((m) => ({ label: m.label, epoch: m.epoch }));
}

/** The playground on the page's views device with the first test images; hidden until a model has
 *  weights. Throws when it cannot start (the page says so and goes on without it). */
export function startPlayground(root: HTMLElement, ctx: GpuContext, test: ImageSet, images: number): Playground {
  const playground = createPlayground(root, ctx);
  const n = Math.min(images, test.count);
  playground.setImages({ pixels: toFloatPixels(test, n), count: n, D: test.rows * test.cols });
  root.hidden = true;
  return playground;
}
