// One headless Chromium + harness page per test file, opened before and closed after its tests.
import { after, before } from 'node:test';
import { openHarness, type Harness } from '../../src/node/harness.ts';

export function useHarness(): () => Harness {
  let h: Harness | undefined;
  before(async () => {
    h = await openHarness('test/page/harness.html', { log: (l) => console.error(l) });
    console.log(`adapter: ${h.adapter.vendor} ${h.adapter.architecture} (fallback: ${h.adapter.isFallback})`);
  });
  after(async () => {
    await h?.close();
  });
  return () => {
    if (!h) throw new Error('harness not open');
    return h;
  };
}
