// A page that draws the loss curves of finished runs, so Node can screenshot them into the report
// with the same chart code as the training page.
import { exposeApi, startPage } from './api.ts';
import { renderLossChart } from './loss_chart.ts';
import { commonRange, renderScatter, type ScatterSeries } from './scatter_chart.ts';
import type { EpochStats } from '../train/trainer.ts';

await startPage();

/** A titled box appended to `root`; returns the element its chart goes into. */
function titledBox(root: HTMLElement, text: string): HTMLElement {
  const box = document.createElement('div');
  box.className = 'run';
  const title = document.createElement('h3');
  title.textContent = text;
  const el = document.createElement('div');
  box.append(title, el);
  root.append(box);
  return el;
}

exposeApi({
  async drawLossCurves(a: { runs: { name: string; history: EpochStats[] }[] }) {
    const root = document.getElementById('charts')!;
    root.replaceChildren();
    root.style.flexDirection = 'row'; // side by side, also after drawScatters stacked rows on this page
    for (const r of a.runs) renderLossChart(titledBox(root, r.name), r.history);
    return true;
  },
  /** rows of scatter panels; each row shares its axis limits */
  async drawScatters(a: { rows: { title: string; panels: { title: string; series: ScatterSeries[] }[] }[] }) {
    const root = document.getElementById('charts')!;
    root.replaceChildren();
    root.style.flexDirection = 'column';
    for (const row of a.rows) {
      const line = titledBox(root, row.title);
      line.style.display = 'flex';
      line.style.gap = '8px';
      const range = commonRange(row.panels.flatMap((p) => p.series.map((s) => s.points)));
      for (const p of row.panels) {
        const el = document.createElement('div');
        line.append(el);
        renderScatter(el, p.series, { title: p.title, range });
      }
    }
    return true;
  },
});
