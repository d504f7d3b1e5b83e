// The results: per model one row of three images (prediction, pseudo-Gibbs, MwG), each captioned
// with its MSE on the missing pixels; and the response time of the last fill.
import { METHODS, type Method, type ModelFill } from './fill.ts';
import { imageCanvas, paintImage } from './paint_image.ts';

export interface ResultsView {
  root: HTMLElement;
  /** one row per model label; rebuilt only when the labels change */
  setModels(labels: readonly string[]): void;
  show(fills: readonly (ModelFill | undefined)[], zeroMse: number | undefined, ms: number): void;
  message(text: string): void;
}

export function createResultsView(side: number, scale: number): ResultsView {
  const root = document.createElement('div');
  root.className = 'pg-results';
  const summary = Object.assign(document.createElement('p'), { className: 'pg-summary' });
  summary.dataset.pg = 'summary';
  const rowsBox = document.createElement('div');
  root.append(summary, rowsBox);
  let rows: { canvas: Record<Method, HTMLCanvasElement>; caption: Record<Method, HTMLElement> }[] = [];
  let labels: readonly string[] = [];

  return {
    root,
    setModels(next) {
      if (next.length === labels.length && next.every((l, i) => l === labels[i])) return;
      labels = [...next];
      rowsBox.replaceChildren();
      rows = labels.map((label, m) => {
        const row = document.createElement('section');
        row.className = 'pg-model';
        row.dataset.pg = `model-${m}`;
        row.append(Object.assign(document.createElement('h4'), { textContent: label }));
        const canvas = {} as Record<Method, HTMLCanvasElement>, caption = {} as Record<Method, HTMLElement>;
        for (const { key, title } of METHODS) {
          const f = document.createElement('figure');
          canvas[key] = imageCanvas(side, scale, 'pg-result');
          caption[key] = document.createElement('figcaption');
          caption[key].dataset.pg = `mse-${m}-${key}`;
          caption[key].textContent = title;
          f.append(canvas[key], Object.assign(document.createElement('div'), { textContent: title, className: 'pg-method' }), caption[key]);
          row.append(f);
        }
        rowsBox.append(row);
        return { canvas, caption };
      });
    },
    show(fills, zeroMse, ms) {
      fills.forEach((fill, m) => {
        for (const { key } of METHODS) {
          const r = fill?.[key];
          if (r) paintImage(rows[m].canvas[key], r.image);
          rows[m].caption[key].textContent = r
            ? `MSE on holes ${r.missingMse.toFixed(4)}${r.acceptance !== undefined ? `, ${(100 * r.acceptance).toFixed(0)}% accepted` : ''}`
            : 'no holes to fill';
        }
      });
      summary.textContent = zeroMse === undefined
        ? 'No holes: paint some, or apply a mask.'
        : `Holes left at 0: MSE ${zeroMse.toFixed(4)}. Filled in ${ms.toFixed(0)} ms.`;
    },
    message(text) {
      summary.textContent = text;
    },
  };
}
