// A loss-curve chart (uPlot) of train/valid reconstruction error and KL per epoch, for any page:
// the training app updates it live, the report's chart page draws finished runs with it.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { EpochStats } from '../train/trainer.ts';

export interface LossChartOptions {
  /** pixels; by default the width of `el`, or 640 when that is under 320 */
  width?: number;
  /** follow the width of `el` as it changes; only for a box whose width comes from its
   *  container, since a box sized by its content would shrink with the chart */
  fitWidth?: boolean;
  height?: number;
  title?: string;
}

export interface LossChart {
  /** redraws with a new history (the whole history: the chart keeps no state of its own) */
  update(history: readonly EpochStats[]): void;
  destroy(): void;
  readonly plot: uPlot;
}

const RE_COLOR = '#1f5fbf', KL_COLOR = '#d9731a';

function columns(history: readonly EpochStats[]): uPlot.AlignedData {
  return [
    history.map((s) => s.epoch),
    history.map((s) => s.trainRe),
    history.map((s) => s.validRe),
    history.map((s) => s.trainKl),
    history.map((s) => s.validKl),
  ];
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(2));

/** Draws the chart into `el` (replacing its content) and returns a handle for live updates. */
export function renderLossChart(el: HTMLElement, history: readonly EpochStats[], opts: LossChartOptions = {}): LossChart {
  el.replaceChildren();
  // RE (about 100 nats on MNIST) and KL (about 25) differ by 4x: each gets its own y axis so
  // neither curve is flattened against the other
  const line = (label: string, scale: 're' | 'kl', stroke: string, dashed: boolean): uPlot.Series => ({
    label,
    scale,
    stroke,
    width: 2,
    dash: dashed ? [6, 4] : undefined,
    value: (_u, v) => fmt(v),
  });
  const options: uPlot.Options = {
    title: opts.title,
    // a box too narrow to plot in (empty, or sized by its content) gets the default width
    width: opts.width ?? (el.clientWidth >= 320 ? el.clientWidth : 640),
    height: opts.height ?? 280,
    legend: { live: false }, // the table lists the values; the legend only names the curves
    scales: { x: { time: false }, re: { auto: true }, kl: { auto: true } },
    axes: [
      // epochs are whole numbers: no ticks at 1.2, 1.4, ...
      { label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
      { scale: 're', label: 'reconstruction error (nats)', stroke: RE_COLOR },
      { scale: 'kl', label: 'KL (nats)', side: 1, stroke: KL_COLOR, grid: { show: false } },
    ],
    series: [
      { label: 'epoch' },
      line('train RE', 're', RE_COLOR, false),
      line('valid RE', 're', RE_COLOR, true),
      line('train KL', 'kl', KL_COLOR, false),
      line('valid KL', 'kl', KL_COLOR, true),
    ],
  };
  const plot = new uPlot(options, columns(history), el);
  const resize = opts.fitWidth && typeof ResizeObserver !== 'undefined'
    ? new ResizeObserver(() => {
      const w = el.clientWidth;
      if (w >= 320 && Math.abs(w - plot.width) > 1) plot.setSize({ width: w, height: plot.height });
    })
    : undefined;
  resize?.observe(el);
  return {
    plot,
    update(h) {
      plot.setData(columns(h));
    },
    destroy() {
      resize?.disconnect();
      plot.destroy();
    },
  };
}
