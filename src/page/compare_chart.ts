// The live loss chart of the page: every model's train and valid loss (the negative ELBO per
// item, nats) over epochs, overlaid on one axis so that two priors trained side by side compare
// at a glance: one colour per model, train solid and valid dashed.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { EpochStats } from '../train/trainer.ts';

export const MODEL_COLORS = ['#1f5fbf', '#c0392b', '#2ca02c', '#9467bd'];

export interface CompareChart {
  update(models: readonly { label: string; history: readonly EpochStats[] }[]): void;
  readonly plot: uPlot | undefined;
}

function columns(models: readonly { history: readonly EpochStats[] }[]): uPlot.AlignedData {
  const n = Math.max(0, ...models.map((m) => m.history.length));
  const epochs = Array.from({ length: n }, (_, i) => i + 1);
  const col = (h: readonly EpochStats[], k: 'trainLoss' | 'validLoss') => epochs.map((e) => h[e - 1]?.[k] ?? null);
  return [epochs, ...models.flatMap((m) => [col(m.history, 'trainLoss'), col(m.history, 'validLoss')])];
}

/** A chart in `el`, rebuilt when the models change (their number or labels), else given new data. */
export function createCompareChart(el: HTMLElement, height = 300): CompareChart {
  let plot: uPlot | undefined;
  let key = '';
  const resize = new ResizeObserver(() => {
    const w = el.clientWidth;
    if (plot && w >= 320 && Math.abs(w - plot.width) > 1) plot.setSize({ width: w, height: plot.height });
  });
  resize.observe(el);
  return {
    get plot() {
      return plot;
    },
    update(models) {
      el.hidden = models.every((m) => m.history.length === 0); // empty axes say nothing
      if (el.hidden) return;
      const k = models.map((m) => m.label).join('|');
      if (!plot || k !== key) {
        plot?.destroy();
        el.replaceChildren();
        key = k;
        const series: uPlot.Series[] = [{ label: 'epoch' }];
        models.forEach((m, i) => {
          const stroke = MODEL_COLORS[i % MODEL_COLORS.length];
          series.push({ label: `${m.label} train`, stroke, width: 2, value: (_u, v) => (v == null ? '–' : v.toFixed(2)) });
          series.push({ label: `${m.label} valid`, stroke, width: 2, dash: [6, 4], value: (_u, v) => (v == null ? '–' : v.toFixed(2)) });
        });
        plot = new uPlot({
          title: 'Loss (negative ELBO per item, nats): train solid, validation dashed',
          width: el.clientWidth >= 320 ? el.clientWidth : 640,
          height,
          legend: { live: false },
          scales: { x: { time: false } },
          axes: [{ label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }, { label: 'nats' }],
          series,
        }, columns(models), el);
        return;
      }
      plot.setData(columns(models));
    },
  };
}
