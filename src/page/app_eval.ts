// The app's Evaluate step: the imputation protocol for the model trained in the tab, on the test
// set, with the same masks, metrics and table rows as `npm run eval`, shown as a table and images.
// The reference's columns stand beside a model the reference measured (784-400-128-10 on MNIST, a
// Gaussian or t prior, Bernoulli decoder) and nowhere else.
import type { ImageSet } from '../data/idx_parse.ts';
import { toFloatPixels, subset } from '../data/split.ts';
import type { BufferStats } from '../gpu/buffer_stats.ts';
import type { GpuContext } from '../gpu/context.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { createEvaluator } from '../eval/gpu_eval.ts';
import { repeatFirstImage, runProtocol, type ModelScores } from '../eval/imputation.ts';
import { protocolMasks, PROTOCOL } from '../eval/protocol.ts';
import { measuredByReference } from '../eval/reference_numbers.ts';
import { modelScoreCells } from '../eval/table.ts';
import { gridCanvas } from './image_grid.ts';

export interface PageEvaluation {
  n: number;
  scores: ModelScores;
  maskNames: string[];
}

/** Runs the protocol on the first n test images and draws the table and images into `out`. */
export async function evaluateInPage(
  ctx: GpuContext,
  config: VaeConfig,
  params: Float32Array,
  test: ImageSet,
  n: number,
  out: HTMLElement,
): Promise<PageEvaluation> {
  const { rows, cols } = test, D = rows * cols;
  const x = toFloatPixels(subset(test, n));
  const masks = protocolMasks(n, rows, cols, PROTOCOL.maskSeed);
  const evaluator = createEvaluator(ctx, config, params, Math.min(n, PROTOCOL.batch));
  const { scores, images } = await runProtocol(evaluator, x, masks, { n, rows, cols, draws: PROTOCOL.draws, gibbsRounds: PROTOCOL.gibbsRounds });
  const samples = await evaluator.samples(PROTOCOL.samples);
  const draws30 = await evaluator.predict(repeatFirstImage(x, D, 30), 30, 1);

  out.replaceChildren();
  const h = (tag: string, text: string) => Object.assign(document.createElement(tag), { textContent: text });
  out.append(h('h2', `Evaluation on ${n.toLocaleString('en')} test images`));
  // the page evaluates MNIST's test set only (the protocol is for these images)
  out.append(scoreTable(scores, masks.map((m) => m.name), measuredByReference(config, 'mnist')));
  const first = (a: Float32Array, k = 10) => a.subarray(0, k * D);
  const figure = (caption: string, images: Float32Array, count: number, perRow: number) => {
    const f = document.createElement('figure');
    f.append(gridCanvas(images, count, rows, cols, perRow), h('figcaption', caption));
    out.append(f);
  };
  figure('Test images', first(x), 10, 10);
  figure('Reconstructions', first(images.reconstruction), 10, 10);
  figure('One test image decoded from 30 latent draws', draws30, 30, 10);
  figure('Samples from the prior', samples, PROTOCOL.samples, 8);
  masks.forEach((m, i) => {
    const p = images.perMask[i];
    const stacked = new Float32Array(40 * D);
    [p.masked, p.prediction, p.imputation, x].forEach((a, row) => stacked.set(first(a), row * 10 * D));
    figure(`${m.name}: masked, predicted, imputed, original`, stacked, 40, 10);
  });
  return { n, scores, maskNames: masks.map((m) => m.name) };
}

/** Evaluates every model that has weights, one section each in `out` (titled with the model's
 *  label when there are several), each evaluator's buffers freed once its images are drawn; each
 *  result is pushed to `into` as it comes, so the page's state shows the models done so far. */
export async function evaluateModels(
  ctx: GpuContext,
  buffers: BufferStats,
  models: readonly { label: string; config: VaeConfig; params?: Float32Array }[],
  test: ImageSet,
  n: number,
  out: HTMLElement,
  into: PageEvaluation[],
): Promise<void> {
  out.replaceChildren();
  for (const m of models) {
    if (!m.params) continue;
    const box = document.createElement('section');
    box.className = 'model-eval';
    out.append(box);
    // the evaluator has no destroy: its buffers go with the scope once the images are drawn
    const scope = buffers.scope();
    try {
      into.push(await evaluateInPage(ctx, m.config, m.params, test, n, box));
    } finally {
      scope.destroyAll();
    }
    if (models.length > 1) box.querySelector('h2')!.textContent += `: ${m.label}`;
  }
}

/** The scores, with the reference's columns only for a model the reference measured. */
function scoreTable(scores: ModelScores, maskNames: string[], reference: boolean): HTMLTableElement {
  const { head, rows } = modelScoreCells(scores, maskNames, { reference });
  const table = document.createElement('table');
  table.className = 'scores';
  const tr = table.createTHead().insertRow();
  for (const t of head) tr.append(Object.assign(document.createElement('th'), { textContent: t }));
  const body = table.createTBody();
  for (const cells of rows) {
    const row = body.insertRow();
    for (const v of cells) row.insertCell().textContent = v;
  }
  return table;
}
