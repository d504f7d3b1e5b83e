// Launches Debian's Chromium (never a downloaded browser) with WebGPU enabled, headless.
// Flags are the ones verified on the project's machines (shared/webgpu.md).
import puppeteer, { type Browser } from 'puppeteer';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TvaeError } from '../errors.ts';
import { guardChild } from './child_guard.ts';
import { PROFILE_PREFIX, removeStaleProfiles } from './stale_profiles.ts';
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
  removeStaleProfiles();
  // our pid in the name: a later run can tell this folder is garbage once we are gone
  const userDataDir = mkdtempSync(join(tmpdir(), `${PROFILE_PREFIX}${process.pid}-`));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      userDataDir,
      // the CLI decides what a signal does (save a checkpoint first); puppeteer's handlers would
      // exit the process on the spot
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
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
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    const why = (e instanceof Error ? e.message : String(e)).split('\n').find((l) => l.trim() !== '') ?? 'unknown error';
    throw new TvaeError(`Chromium at ${executablePath} did not start: ${why.trim()} (install Debian's chromium or set TVAE_CHROMIUM to a working Chrome/Chromium binary)`);
  }
  // puppeteer starts the browser detached: its pid leads its own process group
  const pid = browser.process()?.pid;
  const guard = pid ? guardChild(pid, [userDataDir]) : undefined;
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      if (guard) guard.release();
      else rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
