// Renders loss curves to PNG by drawing them in the headless chart page and taking a screenshot.
import { openHarness } from '../node/harness.ts';
import type { EpochStats } from '../train/trainer.ts';

export async function renderLossCurves(runs: { name: string; history: EpochStats[] }[]): Promise<Uint8Array> {
  const h = await openHarness('src/page/chart.html');
  try {
    await h.page.setViewport({ width: 1400, height: 500 });
    await h.call('drawLossCurves', { runs });
    const el = await h.page.$('#charts');
    if (!el) throw new Error('chart page has no #charts element');
    return new Uint8Array(await el.screenshot({ type: 'png' }));
  } finally {
    await h.close();
  }
}
