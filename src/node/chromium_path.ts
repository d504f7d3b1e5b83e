// Whether a browser can be driven here, in a module that does not load puppeteer: code that only
// asks (the CLIs' default runtime, the loss-curve picture) must load without it. Both halves
// count: the binary, and puppeteer to drive it (the GPU bundle ships no puppeteer, yet may run
// on a machine that has a Chromium).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export const chromiumPath = (): string => process.env.TVAE_CHROMIUM ?? '/usr/bin/chromium';

export function hasChromium(): boolean {
  if (!existsSync(chromiumPath())) return false;
  try {
    createRequire(import.meta.url).resolve('puppeteer');
    return true;
  } catch {
    return false;
  }
}
