// Scatter plots to PNG: the chart page (src/page/chart.ts, uPlot) draws rows of panels and Node
// screenshots them, as for the loss curves.
import { openHarness } from '../node/harness.ts';
import type { ScatterSeries } from '../page/scatter_chart.ts';

export interface ScatterRow {
  title: string;
  panels: { title: string; series: ScatterSeries[] }[];
}

export async function renderScatterRows(rows: ScatterRow[]): Promise<Uint8Array> {
  const h = await openHarness('src/page/chart.html');
  try {
    const widest = Math.max(...rows.map((r) => r.panels.length));
    await h.page.setViewport({ width: Math.max(800, widest * 370 + 40), height: 420 * rows.length + 40 });
    await h.call('drawScatters', { rows });
    const el = await h.page.$('#charts');
    if (!el) throw new Error('chart page has no #charts element');
    return new Uint8Array(await el.screenshot({ type: 'png' }));
  } finally {
    await h.close();
  }
}
