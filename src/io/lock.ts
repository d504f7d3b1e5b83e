// One process owns a run folder at a time: `<dir>/.tvae.lock` holds the owner's pid, created with
// O_EXCL (open 'wx') so two processes can never both create it. A lock whose pid is dead (a
// SIGKILLed or crashed run) is stale and is taken over.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fail } from '../errors.ts';
import { pidAlive } from './pid_alive.ts';

export const LOCK_NAME = '.tvae.lock';

export interface RunLock {
  path: string;
  /** removes the lock file if it is still ours; safe to call twice and from signal handlers */
  release(): void;
}

function readOwner(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` runs a tvae command (a CLI under src/cli or a test) as this user, read from
 *  /proc; where /proc cannot tell (another OS), a live pid is taken to be one. */
export function isTvaeProcess(pid: number): boolean {
  if (pid === process.pid) return true;
  let args: string[];
  let uid: number;
  try {
    args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    uid = fs.statSync(`/proc/${pid}`).uid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT' || !fs.existsSync('/proc/self');
  }
  if (process.getuid && uid !== process.getuid()) return false;
  return args.some((a) => /(^|\/)(src\/cli|test)\/[\w.-]+\.ts$/.test(a) || /tvae/.test(a));
}

function lockAge(file: string): string {
  let ms: number;
  try {
    ms = Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return "the lock's age is unknown";
  }
  const s = Math.max(0, Math.round(ms / 1000));
  const age = s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : s < 172800 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86400)} days`;
  return `the lock is ${age} old`;
}

function tryCreate(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'wx');
    try {
      fs.writeSync(fd, `${process.pid}\n`);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    fail(`cannot create the lock ${file}: ${(e as Error).message}`);
  }
}

/** Takes the lock of `dir` (which must exist) or fails naming the process that holds it. */
export function acquireRunLock(dir: string): RunLock {
  const file = path.join(dir, LOCK_NAME);
  for (let attempt = 0; attempt < 20; attempt++) {
    if (tryCreate(file)) {
      let held = true;
      return {
        path: file,
        release() {
          if (!held) return;
          held = false;
          if (readOwner(file) === process.pid) fs.rmSync(file, { force: true });
        },
      };
    }
    const owner = readOwner(file);
    // a lock being written this instant has no pid yet: look again rather than call it stale
    if (owner === undefined && attempt < 5) continue;
    if (owner !== undefined && pidAlive(owner)) {
      if (isTvaeProcess(owner)) fail(`run folder ${dir} is in use by process ${owner} (lock ${file}); wait for it to finish or stop it`);
      // a pid reused since (after a reboot, or a container's pid 1): not ours to take over blindly
      fail(`run folder ${dir} is in use by process ${owner} according to its lock, but that process is not a tvae command of yours (a reused pid?); ${lockAge(file)}: if no tvae command is working on ${dir}, delete ${file} and run again`);
    }
    // Stale. Two processes may both see it stale: each renames it to a private name first, so only
    // one wins the rename; the other finds it gone and retries the O_EXCL create.
    const mine = `${file}.stale-${process.pid}`;
    try {
      fs.renameSync(file, mine);
    } catch {
      continue;
    }
    const moved = readOwner(mine);
    if (moved !== owner && moved !== undefined && pidAlive(moved)) {
      // we moved a live lock that replaced the stale one meanwhile: put it back (link fails if a
      // third process created one since, which then owns the folder)
      try { fs.linkSync(mine, file); } catch { /* another owner already */ }
    }
    fs.rmSync(mine, { force: true });
  }
  fail(`cannot take the lock ${file}: it keeps changing hands`);
}
