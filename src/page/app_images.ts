// The side-by-side image views: the same test images reconstructed by every model (one row per
// model under the originals) and each model's grid of fixed prior draws, redrawn every epoch.
import { gridCanvas } from './image_grid.ts';
import { MODEL_COLORS } from './compare_chart.ts';

export interface ModelImages {
  label: string;
  epoch: number;
  reconstructions?: Float32Array;
  samples?: Float32Array;
  sampleCount?: number;
}

export function drawImages(recon: HTMLElement, samples: HTMLElement, test: { x: Float32Array; count: number; rows: number; cols: number } | undefined, models: ModelImages[]): void {
  if (!test || models.every((m) => !m.reconstructions)) {
    recon.hidden = true;
    samples.replaceChildren();
    return;
  }
  const { rows, cols, count } = test, D = rows * cols;
  const withRecon = models.filter((m) => m.reconstructions);
  const stacked = new Float32Array((1 + withRecon.length) * count * D);
  stacked.set(test.x.subarray(0, count * D));
  withRecon.forEach((m, i) => stacked.set(m.reconstructions!.subarray(0, count * D), (i + 1) * count * D));
  const cap = document.createElement('figcaption');
  cap.textContent = `Test images (top) reconstructed by ${withRecon.map((m) => `${m.label} (epoch ${m.epoch})`).join(', then ')}`;
  recon.replaceChildren(gridCanvas(stacked, stacked.length / D, rows, cols, count, 2), cap);
  recon.hidden = false;
  samples.replaceChildren(...models.map((m, i) => {
    const f = document.createElement('figure');
    f.className = 'sample-grid';
    f.style.borderColor = MODEL_COLORS[i % MODEL_COLORS.length];
    const c = document.createElement('figcaption');
    c.textContent = `${m.label}: prior samples, epoch ${m.epoch}`;
    if (m.samples && m.sampleCount) f.append(gridCanvas(m.samples, m.sampleCount, rows, cols, 8, 2));
    f.append(c);
    return f;
  }));
}
