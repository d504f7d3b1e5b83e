// Renders loss curves to PNG by drawing them in the headless chart page and taking a screenshot.
import type { Harness } from '../node/harness.ts';
import type { EpochStats } from '../train/trainer.ts';
import { onChartPage, screenshotCharts } from './chart_page.ts';

/** `page`: a chart page the caller keeps open for several figures (src/report/chart_page.ts). */
export async function renderLossCurves(runs: { name: string; history: EpochStats[] }[], page?: Harness): Promise<Uint8Array> {
  return onChartPage(page, async (h) => {
    await h.page.setViewport({ width: 1400, height: 500 });
    await h.call('drawLossCurves', { runs });
    return screenshotCharts(h);
  });
}
