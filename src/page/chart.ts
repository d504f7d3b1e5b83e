// A page that draws the loss curves of finished runs, so Node can screenshot them into the report
// with the same chart code as the training page.
import { exposeApi, startPage } from './api.ts';
import { renderLossChart } from './loss_chart.ts';
import type { EpochStats } from '../train/trainer.ts';

await startPage();
exposeApi({
  async drawLossCurves(a: { runs: { name: string; history: EpochStats[] }[] }) {
    const root = document.getElementById('charts')!;
    root.replaceChildren();
    for (const r of a.runs) {
      const box = document.createElement('div');
      box.className = 'run';
      const title = document.createElement('h3');
      title.textContent = r.name;
      const el = document.createElement('div');
      box.append(title, el);
      root.append(box);
      renderLossChart(el, r.history);
    }
    return true;
  },
});
