// Chromium profile folders (`<tmp>/tvae-chromium-<pid>-XXXXXX`) left by runs that died before
// their guard could remove them (a guard killed too, a machine crash): removed when the next
// browser starts. The pid in the name is the CLI's; older unnamed ones are judged by Chromium's
// own SingletonLock link (`<host>-<pid>`) and kept when that cannot tell.
import { readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from '../io/pid_alive.ts';

export const PROFILE_PREFIX = 'tvae-chromium-';

function ownerPid(dir: string, name: string): number | undefined {
  const m = /^tvae-chromium-(\d+)-/.exec(name);
  if (m) return Number(m[1]);
  try {
    const target = readlinkSync(join(dir, name, 'SingletonLock'));
    const p = /-(\d+)$/.exec(target);
    return p ? Number(p[1]) : undefined;
  } catch {
    return undefined; // no lock link: maybe a browser starting right now
  }
}

export function removeStaleProfiles(dir: string = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(PROFILE_PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = ownerPid(dir, name);
    if (pid === undefined || pidAlive(pid)) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch { /* another sweeper got it, or not ours to remove */ }
  }
  return removed;
}
