// Node side of the headless harness: serves a page with Vite, opens it in headless Chromium and
// calls the async functions that page puts on `window.tvaeApi`, moving typed arrays as base64.
// Tests, the CLI trainer and the bench all drive the GPU through this.
import type { Page } from 'puppeteer';
import { decode, encode } from '../codec.ts';
import { TvaeError } from '../errors.ts';
import type { AdapterDescription } from '../gpu/device.ts';
import type { LaunchedBrowser } from './chromium.ts';
import { chromiumGpuPlan, type ChromiumGpuPlan } from './chromium_adapter.ts';
import type { PageServer } from './server.ts';

export interface Harness {
  page: Page;
  adapter: AdapterDescription;
  call<T = unknown>(fn: string, args?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  log?: (line: string) => void;
  /** bytes the page can fetch from /__tvae/blob/<name> */
  blobs?: ReadonlyMap<string, Uint8Array>;
  /** Node functions the page can call as window.<name> (progress reports) */
  expose?: Record<string, (...args: never[]) => unknown>;
  /** serve the page cross-origin isolated (SharedArrayBuffer, threads: src/node/server.ts) */
  crossOriginIsolated?: boolean;
  /** the adapter to launch Chromium for when TVAE_CHROMIUM_ADAPTER does not say (default: lavapipe
   *  when installed); the kernel tests ask for SwiftShader, see test/util/harness.ts */
  chromiumAdapter?: 'lavapipe' | 'swiftshader';
}

/** "ANGLE (Mesa, Vulkan 1.4.305 (llvmpipe ...)) (compatibility mode)", "google swiftshader ...": for logs */
export function adapterName(a: AdapterDescription): string {
  const name = [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') || 'unnamed adapter';
  return `${name}${a.featureLevel === 'compatibility' ? ' (WebGPU compatibility mode)' : ''}${a.isFallback ? ' (fallback adapter)' : ''}`;
}

/** Opens the page in Chromium launched for lavapipe when it is installed; if that launch or page
 *  fails, once more on SwiftShader, with the reason logged (unless TVAE_CHROMIUM_ADAPTER forced
 *  lavapipe: then the failure is the answer). */
export async function openHarness(pagePath: string, opts: HarnessOptions = {}): Promise<Harness> {
  const env = process.env.TVAE_CHROMIUM_ADAPTER || !opts.chromiumAdapter ? process.env : { ...process.env, TVAE_CHROMIUM_ADAPTER: opts.chromiumAdapter };
  const gpu = chromiumGpuPlan(env);
  const log = opts.log ?? ((line: string) => console.error(line));
  try {
    return await openHarnessOn(gpu, pagePath, opts, log);
  } catch (e) {
    if (gpu.adapter !== 'lavapipe' || env.TVAE_CHROMIUM_ADAPTER === 'lavapipe') throw e;
    log(`Chromium WebGPU: lavapipe failed (${(e as Error).message.split('\n')[0]}); falling back to SwiftShader`);
    return openHarnessOn(chromiumGpuPlan({ TVAE_CHROMIUM_ADAPTER: 'swiftshader' }), pagePath, opts, log);
  }
}

async function openHarnessOn(gpu: ChromiumGpuPlan, pagePath: string, opts: HarnessOptions, log: (line: string) => void): Promise<Harness> {
  let server: PageServer | undefined;
  let chromium: LaunchedBrowser | undefined;
  try {
    // loaded here, not at the top: Vite and puppeteer cost a process about 1.4 CPU-seconds to load,
    // and a tab of a browser someone else launched (harnessOnPage: npm test's shared browser) or
    // a test on the Node runtime needs neither of them
    const { startPageServer } = await import('./server.ts');
    const { launchChromium } = await import('./chromium.ts');
    server = await startPageServer(opts.blobs, { crossOriginIsolated: opts.crossOriginIsolated });
    chromium = await launchChromium({ gpu });
    const page = await chromium.browser.newPage();
    const { adapter, call } = await harnessOnPage(page, `${server.url}/${pagePath}`, opts);
    const got = adapter.isFallback ? 'SwiftShader' : adapter.description.includes('llvmpipe') ? 'lavapipe' : 'another adapter';
    log(`Chromium WebGPU: launched for ${gpu.why}; the page's adapter: ${adapterName(adapter)}` +
      (gpu.adapter === 'lavapipe' && got !== 'lavapipe' ? ` — lavapipe was not offered, this is ${got}` : ''));
    const s = server, c = chromium;
    return {
      page,
      adapter,
      call,
      async close() {
        await c.close();
        await s.close();
      },
    };
  } catch (e) {
    await chromium?.close();
    await server?.close();
    throw e;
  }
}

/** Loads a harness page (one that sets window.tvaeReady and window.tvaeApi) in `page`, which may be
 *  a tab of a browser someone else launched (npm test shares one among the kernel test files:
 *  test/util/shared_browser.ts), and returns its adapter and a caller of its api. */
export async function harnessOnPage(page: Page, url: string, opts: Pick<HarnessOptions, 'log' | 'expose'> = {}): Promise<Pick<Harness, 'adapter' | 'call'>> {
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn' || process.env.TVAE_PAGE_LOG) opts.log?.(`[page ${m.type()}] ${m.text()}`);
  });
  for (const [name, fn] of Object.entries(opts.expose ?? {})) await page.exposeFunction(name, fn as (...a: unknown[]) => unknown);
  page.on('pageerror', (e) => opts.log?.(`[page error] ${String(e)}`));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction('window.tvaeReady !== undefined', { timeout: 120_000 });
  const ready = (await page.evaluate('window.tvaeReady')) as { ok: boolean; adapter?: AdapterDescription; error?: string };
  if (!ready.ok || !ready.adapter) throw new TvaeError(ready.error ?? 'the page found no WebGPU adapter');
  return {
    adapter: ready.adapter,
    async call<T>(fn: string, args: unknown = {}): Promise<T> {
      const out = (await page.evaluate(
        async (name: string, payload: unknown) => {
          const api = (window as unknown as { tvaeApi: Record<string, (a: unknown) => Promise<unknown>> }).tvaeApi;
          try {
            return { ok: true, value: await api[name](payload) };
          } catch (e) {
            // the project's own errors are already one clear sentence
            return { ok: false, error: e instanceof Error ? (e.name === 'TvaeError' ? e.message : `${e.name}: ${e.message}`) : String(e) };
          }
        },
        fn,
        encode(args),
      )) as { ok: boolean; value?: unknown; error?: string };
      if (!out.ok) throw new TvaeError(out.error ?? `page call ${fn} failed`);
      return decode(out.value) as T;
    },
  };
}
