// One GPU harness per test file, opened before and closed after its tests: headless Chromium + the
// harness page (default), or the same probes in-process through Dawn (TVAE_TEST_RUNTIME=node; the
// Node pass of npm test, test/util/node_pass.ts, runs it on lavapipe).
import { after, before } from 'node:test';
import type { AdapterDescription } from '../../src/gpu/device.ts';
import { adapterName } from '../../src/node/harness.ts';
import { fail } from '../../src/errors.ts';

export interface ProbeHarness {
  adapter: AdapterDescription;
  runtime: 'chromium' | 'node';
  call<T = unknown>(fn: string, args?: unknown): Promise<T>;
  close(): Promise<void>;
}

export function testRuntime(value = process.env.TVAE_TEST_RUNTIME): ProbeHarness['runtime'] {
  if (value === undefined || value === '' || value === 'chromium') return 'chromium';
  if (value === 'node') return 'node';
  fail(`TVAE_TEST_RUNTIME must be "chromium" (the default) or "node", got "${value}"`);
}

async function open(log: (line: string) => void): Promise<ProbeHarness> {
  if (testRuntime() === 'node') {
    const { openNodeHarness } = await import('./node_harness.ts');
    return openNodeHarness(log);
  }
  // loaded only here: the Node pass needs neither puppeteer nor the launcher (about 1.5 CPU-seconds
  // of module loading per test process), and src/node/harness.ts loads Vite only to launch its own
  const { openSharedHarness, SHARED_BROWSER_ENV } = await import('./shared_browser.ts');
  const { openHarness } = await import('../../src/node/harness.ts');
  // npm test's Chromium pass starts one browser for all the files (test/util/shared_browser.ts); if
  // it cannot be reached (it crashed), this file launches its own, as when run alone
  const shared = process.env[SHARED_BROWSER_ENV];
  if (shared) {
    try {
      return await openSharedHarness(shared, log);
    } catch (e) {
      log(`the pass's shared browser failed (${(e as Error).message.split('\n')[0]}); launching one for this file`);
    }
  }
  // the kernel tests' Chromium pass stays on SwiftShader (its own compiler, subgroups of 4), so that
  // with the Node pass on lavapipe every kernel runs on both adapters; TVAE_CHROMIUM_ADAPTER
  // overrides. Page and CLI tests get lavapipe when it is installed (src/node/chromium_adapter.ts).
  const h = await openHarness('test/page/harness.html', { log, chromiumAdapter: 'swiftshader' });
  return { adapter: h.adapter, runtime: 'chromium', call: h.call, close: h.close };
}

export function useHarness(): () => ProbeHarness {
  let h: ProbeHarness | undefined;
  before(async () => {
    h = await open((l) => console.error(l));
    const a = h.adapter;
    console.log(`adapter: ${adapterName(a)}, runtime: ${h.runtime}${a.driver ? `, ${a.driver}` : ''}`);
  });
  after(async () => {
    await h?.close();
  });
  return () => {
    if (!h) throw new Error('harness not open');
    return h;
  };
}
