// A GPU worker for a test's own checks of a model a CLI trained (the CLIs' worker page,
// src/page/headless.html: boundsInit, decode, bounds, ...). In npm test's Chromium pass it is a tab
// of the pass's shared browser (test/util/shared_browser.ts): no Chromium start and no Vite server
// of its own. Run alone, or if that browser cannot be reached, it is openWorker() as a CLI would
// open it (Chromium unless TVAE_RUNTIME says otherwise).
import { adapterCaps } from '../../src/gpu/device.ts';
import { fileChoiceStore } from '../../src/node/tune_cache.ts';
import { openWorker, type GpuWorker } from '../../src/node/worker.ts';
import { openSharedHarness, SHARED_BROWSER_ENV } from './shared_browser.ts';

export type TestWorker = GpuWorker;

export async function openTestWorker(log: (line: string) => void = (l) => console.error(l)): Promise<TestWorker> {
  const shared = process.env[SHARED_BROWSER_ENV];
  if (shared) {
    try {
      const h = await openSharedHarness(shared, log, 'src/page/headless.html');
      // the kernel choices tuned before on this adapter, as openWorker hands them to its page
      const key = adapterCaps(h.adapter).key;
      await h.call('adoptChoices', { adapter: key, choices: fileChoiceStore().load(key) }).catch(async (e: Error) => {
        await h.close();
        throw e;
      });
      return h;
    } catch (e) {
      log(`the pass's shared browser failed (${(e as Error).message.split('\n')[0]}); opening a worker of this file's own`);
    }
  }
  return openWorker({ log });
}
