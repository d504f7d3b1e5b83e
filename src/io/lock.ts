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
      fail(`run folder ${dir} is in use by process ${owner} (lock ${file}); wait for it to finish or stop it`);
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
