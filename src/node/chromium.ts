// Launches Debian's Chromium (never a downloaded browser) with WebGPU enabled, headless.
// Flags are the ones verified on the project's machines (shared/webgpu.md).
import puppeteer, { type Browser } from 'puppeteer';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TvaeError } from '../errors.ts';
import { chromiumPath } from './chromium_path.ts';

export { chromiumPath };

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(opts: { protocolTimeoutMs?: number } = {}): Promise<LaunchedBrowser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new TvaeError(`Chromium not found at ${executablePath}. Install it (apt-get install chromium) or set TVAE_CHROMIUM to a Chrome/Chromium binary.`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'tvae-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    userDataDir,
    // a hung GPU call must fail the caller instead of waiting forever
    protocolTimeout: opts.protocolTimeoutMs ?? 30 * 60 * 1000,
    args: [
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
