// Launches Debian's Chromium (never a downloaded browser) with WebGPU enabled, headless, for
// lavapipe when the project-local one is installed, else SwiftShader (chromium_adapter.ts says how
// and why). Flags are the ones verified on the project's machines (shared/webgpu.md). Chromium is spawned
// here rather than by puppeteer.launch, so that its process group is under the watchdog
// (child_guard.ts) in the same tick as the spawn: a CLI killed while Chromium is still starting
// (before puppeteer could have handed over its pid) leaves no browser behind. puppeteer then
// connects to the DevTools endpoint Chromium prints.
import puppeteer, { type Browser } from 'puppeteer';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TvaeError } from '../errors.ts';
import { guardChild, type ChildGuard } from './child_guard.ts';
import { PROFILE_PREFIX, removeStaleProfiles } from './stale_profiles.ts';
import { chromiumPath } from './chromium_path.ts';
import { chromiumGpuPlan, type ChromiumGpuPlan } from './chromium_adapter.ts';

export { chromiumPath };

export interface LaunchedBrowser {
  browser: Browser;
  /** the adapter Chromium was launched for (lavapipe or SwiftShader) and why */
  gpu: ChromiumGpuPlan;
  close(): Promise<void>;
}

const ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export interface StartedChromium {
  pid: number;
  userDataDir: string;
  guard: ChildGuard;
  /** the DevTools websocket, once Chromium has printed it */
  endpoint: Promise<string>;
  /** resolves when Chromium's main process has exited */
  exited: Promise<void>;
}

/** Spawns Chromium in a process group of its own under a guard started just before it. */
export function startChromium(executablePath: string, startTimeoutMs = 60_000, gpu: Pick<ChromiumGpuPlan, 'args' | 'env'> = { args: [], env: {} }): StartedChromium {
  removeStaleProfiles();
  // our pid in the name: a later run can tell this folder is garbage once we are gone
  const userDataDir = mkdtempSync(join(tmpdir(), `${PROFILE_PREFIX}${process.pid}-`));
  const args = [...puppeteer.defaultArgs({ headless: true, userDataDir }).filter((a) => a !== 'about:blank'), '--remote-debugging-port=0', ...ARGS, ...gpu.args, 'about:blank'];
  // detached: the browser leads its own process group, which the guard kills whole; a terminal
  // Ctrl-C (sent to our group) reaches only us, and the CLI decides what happens (a checkpoint first)
  // the guard first (child_guard.ts): every Chromium process carries --user-data-dir=<this folder>
  const guard = guardChild(`--user-data-dir=${userDataDir}`, [userDataDir]);
  const child = spawn(executablePath, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...gpu.env } });
  const pid = child.pid;
  if (pid === undefined) {
    guard.release();
    throw new TvaeError(`Chromium at ${executablePath} did not start (install Debian's chromium or set TVAE_CHROMIUM to a working Chrome/Chromium binary)`);
  }
  guard.watch(pid);
  child.unref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = new Promise<string>((resolve, reject) => {
    let err = '';
    const done = (e?: Error, ws?: string) => {
      clearTimeout(timer);
      // Chromium may write more: keep draining the pipe (a full pipe would block it), without
      // letting the pipe keep the CLI alive
      child.stderr?.removeAllListeners('data').on('data', () => undefined);
      child.off('exit', onExit);
      (child.stderr as unknown as { unref?: () => void })?.unref?.();
      if (e) reject(e);
      else resolve(ws!);
    };
    const timer = setTimeout(() => done(new Error(`no DevTools endpoint after ${startTimeoutMs / 1000} s`)), startTimeoutMs);
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) done(undefined, m[1]);
    });
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => done(new Error(err.split('\n').find((l) => l.trim() !== '') ?? `exited (${signal ?? code}) before it was ready`));
    child.on('exit', onExit);
    child.on('error', (e) => done(e));
  });
  return { pid, userDataDir, guard, endpoint, exited };
}

export async function launchChromium(opts: { protocolTimeoutMs?: number; gpu?: ChromiumGpuPlan } = {}): Promise<LaunchedBrowser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new TvaeError(`Chromium not found at ${executablePath}. Install it (apt-get install chromium) or set TVAE_CHROMIUM to a Chrome/Chromium binary.`);
  }
  const gpu = opts.gpu ?? chromiumGpuPlan();
  const started = startChromium(executablePath, undefined, gpu);
  let browser: Browser;
  try {
    browser = await puppeteer.connect({
      browserWSEndpoint: await started.endpoint,
      // a hung GPU call must fail the caller instead of waiting forever
      protocolTimeout: opts.protocolTimeoutMs ?? 30 * 60 * 1000,
      defaultViewport: null,
    });
  } catch (e) {
    started.guard.release(); // kills what is left of the group, removes the profile
    const why = (e instanceof Error ? e.message : String(e)).split('\n').find((l) => l.trim() !== '') ?? 'unknown error';
    throw new TvaeError(`Chromium at ${executablePath} did not start: ${why.trim()} (install Debian's chromium or set TVAE_CHROMIUM to a working Chrome/Chromium binary)`);
  }
  return {
    browser,
    gpu,
    async close() {
      await browser.close().catch(() => undefined);
      // the CDP close returns before Chromium's helpers are gone: wait for the main process (a
      // few seconds at most), then kill what is left of the group before its profile is removed
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([started.exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      try { process.kill(-started.pid, 'SIGKILL'); } catch { /* gone already */ }
      started.guard.release();
    },
  };
}
