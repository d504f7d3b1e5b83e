// A 2-D scatter chart (uPlot's faceted mode: each series its own x and y arrays) for point sets:
// training data, generated samples and reconstructions of the synthetic studies, on the report's
// chart page and live on the training page.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ScatterSeries {
  label: string;
  /** (n, 2) row-major */
  points: Float32Array;
  color: string;
}

export interface ScatterOptions {
  title?: string;
  width?: number;
  height?: number;
  /** shared axis limits, so that panels side by side compare at a glance */
  range?: { x: [number, number]; y: [number, number] };
}

function columns(s: ScatterSeries): [number[], number[]] {
  const n = s.points.length / 2, xs = new Array<number>(n), ys = new Array<number>(n);
  for (let i = 0; i < n; i++) { xs[i] = s.points[2 * i]; ys[i] = s.points[2 * i + 1]; }
  return [xs, ys];
}

/** Draws the series into `el` (replacing its content). */
export function renderScatter(el: HTMLElement, series: ScatterSeries[], opts: ScatterOptions = {}): uPlot {
  el.replaceChildren();
  const data = [null, ...series.map(columns)] as unknown as uPlot.AlignedData;
  const points = uPlot.paths.points!();
  return new uPlot({
    mode: 2,
    title: opts.title,
    width: opts.width ?? 360,
    height: opts.height ?? 360,
    legend: { live: false },
    cursor: { show: false },
    scales: {
      x: { time: false, ...(opts.range ? { range: opts.range.x } : {}) },
      y: { ...(opts.range ? { range: opts.range.y } : {}) },
    },
    series: [
      {},
      ...series.map((s) => ({ label: s.label, stroke: s.color, fill: s.color, paths: points, points: { show: true, size: 2, width: 0, fill: s.color, stroke: s.color } })),
    ],
  }, data, el);
}

/** Axis limits holding every point of every set, with a margin. */
export function commonRange(sets: Float32Array[]): { x: [number, number]; y: [number, number] } {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const p of sets) {
    for (let i = 0; i < p.length; i += 2) {
      if (!Number.isFinite(p[i]) || !Number.isFinite(p[i + 1])) continue;
      x0 = Math.min(x0, p[i]); x1 = Math.max(x1, p[i]); y0 = Math.min(y0, p[i + 1]); y1 = Math.max(y1, p[i + 1]);
    }
  }
  const mx = 0.05 * (x1 - x0 || 1), my = 0.05 * (y1 - y0 || 1);
  return { x: [x0 - mx, x1 + mx], y: [y0 - my, y1 + my] };
}
