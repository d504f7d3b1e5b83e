// Scatter plots to PNG: the chart page (src/page/chart.ts, uPlot) draws rows of panels and Node
// screenshots them, as for the loss curves.
import type { Harness } from '../node/harness.ts';
import { onChartPage, screenshotCharts } from './chart_page.ts';
import type { ScatterSeries } from '../page/scatter_chart.ts';

export interface ScatterRow {
  title: string;
  panels: { title: string; series: ScatterSeries[] }[];
}

/** `page`: a chart page the caller keeps open for several figures (src/report/chart_page.ts). */
export async function renderScatterRows(rows: ScatterRow[], page?: Harness): Promise<Uint8Array> {
  return onChartPage(page, async (h) => {
    const widest = Math.max(...rows.map((r) => r.panels.length));
    await h.page.setViewport({ width: Math.max(800, widest * 370 + 40), height: 420 * rows.length + 40 });
    await h.call('drawScatters', { rows });
    return screenshotCharts(h);
  });
}
