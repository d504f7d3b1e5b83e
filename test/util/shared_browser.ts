// One Chromium and one Vite server for all the kernel and model test files of npm test's Chromium
// pass (test/util/npm_test.ts and chromium_pass.ts start them, test/util/harness.ts uses them;
// test/util/test_worker.ts opens the CLIs' worker page in them).
// Opening the harness page in a browser of its own cost a file about 4 CPU-seconds (Chromium,
// Vite, the page's modules transformed again), a tab of a running browser with a warm server about
// 1; over the 36 kernel files, 211 CPU-seconds became 169 (issue 21). Each file still gets a
// fresh page in a browser context of its own (its own WebGPU device, its own storage, so a tuner's
// cached choice does not leak from one file into the next) and closes it when done.
import puppeteer, { type BrowserContext } from 'puppeteer';
import { TvaeError } from '../../src/errors.ts';
import { adapterName, harnessOnPage } from '../../src/node/harness.ts';
import { chromiumGpuPlan } from '../../src/node/chromium_adapter.ts';
import type { ProbeHarness } from './harness.ts';

/** The variable that hands the shared browser to the test processes: JSON {ws, url, why}. */
export const SHARED_BROWSER_ENV = 'TVAE_TEST_SHARED_BROWSER';

interface SharedBrowser {
  /** the DevTools websocket of the running Chromium */
  ws: string;
  /** the Vite server's origin */
  url: string;
  /** the adapter Chromium was launched for, and why (for the log line) */
  why: string;
}

/** Starts Chromium (SwiftShader unless TVAE_CHROMIUM_ADAPTER says otherwise, as for a file's own
 *  harness) and Vite; `env` is what the test processes need to find them. */
export async function startSharedBrowser(): Promise<{ env: Record<string, string>; close(): Promise<void> }> {
  // loaded here: the test processes that import this file to join the browser need neither Vite
  // nor the launcher (Vite alone costs a process about 1 CPU-second to load)
  const { startPageServer } = await import('../../src/node/server.ts');
  const { launchChromium } = await import('../../src/node/chromium.ts');
  const server = await startPageServer();
  try {
    const gpu = chromiumGpuPlan({ ...process.env, TVAE_CHROMIUM_ADAPTER: process.env.TVAE_CHROMIUM_ADAPTER || 'swiftshader' });
    const chromium = await launchChromium({ gpu });
    const shared: SharedBrowser = { ws: chromium.browser.wsEndpoint(), url: server.url, why: gpu.why };
    return {
      env: { [SHARED_BROWSER_ENV]: JSON.stringify(shared) },
      async close() {
        await chromium.close();
        await server.close();
      },
    };
  } catch (e) {
    await server.close();
    throw e;
  }
}

/** The harness page (or `pagePath`, e.g. the CLIs' worker page) in a new browser context of the
 *  shared browser named by `value`. */
export async function openSharedHarness(value: string, log: (line: string) => void, pagePath = 'test/page/harness.html'): Promise<ProbeHarness> {
  let shared: SharedBrowser;
  try {
    shared = JSON.parse(value) as SharedBrowser;
  } catch {
    throw new TvaeError(`${SHARED_BROWSER_ENV} must be the JSON that test/util/npm_test.ts sets, got "${value}"`);
  }
  // a hung GPU call must fail the test instead of waiting forever, as in src/node/chromium.ts
  const browser = await puppeteer.connect({ browserWSEndpoint: shared.ws, protocolTimeout: 30 * 60 * 1000, defaultViewport: null });
  let context: BrowserContext | undefined;
  try {
    context = await browser.createBrowserContext();
    const page = await context.newPage();
    const { adapter, call } = await harnessOnPage(page, `${shared.url}/${pagePath}`, { log });
    log(`Chromium WebGPU: the pass's shared browser, launched for ${shared.why}; the page's adapter: ${adapterName(adapter)}`);
    return {
      adapter,
      runtime: 'chromium',
      call,
      async close() {
        await context?.close();
        await browser.disconnect();
      },
    };
  } catch (e) {
    await context?.close().catch(() => undefined);
    await browser.disconnect();
    throw e;
  }
}
