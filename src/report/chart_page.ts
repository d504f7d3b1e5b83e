// The chart page (src/page/chart.html, uPlot) in headless Chromium, which Node screenshots into a
// report's PNGs. Opening it (Vite and a Chromium start) costs about 3.5 CPU-seconds on a software
// machine, far more than drawing a figure, so a report that draws several opens it once.
import { openHarness, type Harness } from '../node/harness.ts';

export const openChartPage = (): Promise<Harness> => openHarness('src/page/chart.html');

/** `draw` on `page`, or on a page opened and closed for this one figure. */
export async function onChartPage<T>(page: Harness | undefined, draw: (h: Harness) => Promise<T>): Promise<T> {
  if (page) return draw(page);
  const h = await openChartPage();
  try {
    return await draw(h);
  } finally {
    await h.close();
  }
}

/** The page's #charts element as a PNG. */
export async function screenshotCharts(h: Harness): Promise<Uint8Array> {
  const el = await h.page.$('#charts');
  if (!el) throw new Error('chart page has no #charts element');
  return new Uint8Array(await el.screenshot({ type: 'png' }));
}
