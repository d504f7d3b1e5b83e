// Where a training run writes: checks on `--out` that run before any side effect (is it a run
// folder, an empty one, or can it be created), then claiming it (create, lock, sweep leftovers of
// dead processes) and giving it back untouched when the run fails before writing anything.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fail } from '../errors.ts';
import { checkOutTarget } from './out_target.ts';
import { acquireRunLock, LOCK_NAME, type RunLock } from './lock.ts';
import { pidAlive } from './pid_alive.ts';

/** Files tvae itself leaves in a folder that are not run content: the lock and atomic-write temps. */
const TMP_FILE = /\.tmp-(\d+)$/;
const isBookkeeping = (name: string) => name === LOCK_NAME || name.startsWith(`${LOCK_NAME}.stale-`) || TMP_FILE.test(name);

/** Refuses an `--out` this run must not use, before anything is written. `dir` is absolute. */
export function checkRunTarget(dir: string, resume: boolean): void {
  // the location first, with the rule unpack, npm start and the studies use: no /proc, /sys or
  // /dev (a symlink there included), no file, nothing unwritable or read-only
  if (!resume || fs.existsSync(dir)) checkOutTarget(dir, '--out');
  if (fs.existsSync(dir)) {
    const names = fs.readdirSync(dir).filter((n) => !isBookkeeping(n));
    const isRun = names.includes('config.json');
    if (resume && !isRun) fail(`--resume: ${dir} holds no run (no config.json)`);
    if (!resume && isRun) fail(`run folder ${dir} holds a run already (config.json exists); pass another --out or --resume`);
    if (!resume && names.length > 0) {
      const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
      fail(`--out ${dir} is not empty and holds no tvae run (${shown}); pass a new or empty folder`);
    }
    return;
  }
  if (resume) fail(`--resume: run folder ${dir} not found`);
}

export interface ClaimedFolder {
  lock: RunLock;
  /** releases the lock and removes the folders this claim created, if they hold nothing else */
  abandon(): void;
}

/** Creates `dir` one level at a time (Node's recursive mkdir spins forever under /proc), locks it
 *  and removes `*.tmp-<pid>` files whose writer is dead. */
export function claimRunFolder(dir: string): ClaimedFolder {
  const created: string[] = [];
  const missing: string[] = [];
  for (let p = dir; !fs.existsSync(p); p = path.dirname(p)) missing.unshift(p);
  const removeCreated = () => {
    for (const p of [...created].reverse()) {
      try { fs.rmdirSync(p); } catch { /* holds something now: keep it */ }
    }
  };
  for (const p of missing) {
    try {
      fs.mkdirSync(p);
      created.push(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && fs.statSync(p).isDirectory()) continue;
      removeCreated();
      fail(`cannot create run folder ${dir}: ${(e as Error).message}`);
    }
  }
  let lock: RunLock;
  try {
    lock = acquireRunLock(dir);
  } catch (e) {
    removeCreated();
    throw e;
  }
  removeStaleTemps(dir);
  return {
    lock,
    abandon() {
      lock.release();
      removeCreated();
    },
  };
}

/** `<name>.tmp-<pid>` is an atomic write in flight; once its pid is dead it is garbage. */
export function removeStaleTemps(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const m = TMP_FILE.exec(name);
    if (m && !pidAlive(Number(m[1]))) fs.rmSync(path.join(dir, name), { force: true });
  }
}
