// Where a command may write: the location checks on an output folder flag (`--out`), shared by
// `unpack`, `npm start` and the studies, run before any side effect or adapter start. They cover
// places no run belongs (the kernel's /proc, /sys and /dev, where Node's recursive mkdir can spin
// forever and writes reach devices), a path that is a file, and a place that cannot be written
// (permissions or a read-only mount). What the folder may already hold is the caller's rule.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fail } from '../errors.ts';

/** Kernel pseudo-filesystems: nothing there is a folder of files. */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'];

/** The first path on the way up from `p` that exists (p itself if it does). */
export function existingAncestor(p: string): string {
  let at = p;
  while (!fs.existsSync(at)) {
    const up = path.dirname(at);
    if (up === at) return at;
    at = up;
  }
  return at;
}

const under = (p: string, root: string) => p === root || p.startsWith(`${root}/`);

/** The system root (/proc, /sys, /dev) that absolute `abs` lies under, by its spelling or, for
 *  what exists of it, by its real path (a symlink into /proc is as bad as /proc); else undefined. */
export function systemRootOf(abs: string, real = fs.realpathSync(existingAncestor(abs))): string | undefined {
  return SYSTEM_ROOTS.find((r) => under(abs, r)) ?? SYSTEM_ROOTS.find((r) => under(real, r));
}

/** Checks that `dir` (the value of `flag`) can be an output folder and returns it absolute.
 *  One error line naming the flag and the value when it cannot; writes nothing. */
export function checkOutTarget(dir: string, flag: string): string {
  const abs = path.resolve(dir);
  const base = existingAncestor(abs);
  let real: string;
  try {
    real = fs.realpathSync(base);
  } catch (e) {
    fail(`${flag} ${dir}: cannot resolve ${base}: ${(e as Error).message}`);
  }
  const system = systemRootOf(abs, real);
  if (system) fail(`${flag} ${dir} is under ${system}, a system folder: pass a folder of your own`);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(base);
  } catch (e) {
    fail(`${flag} ${dir}: cannot read ${base}: ${(e as Error).message}`);
  }
  if (!stat.isDirectory()) {
    fail(base === abs ? `${flag} ${dir} exists and is not a directory` : `${flag} ${dir}: ${base} is not a directory`);
  }
  // access(2) answers EROFS on a read-only mount even for root
  try {
    fs.accessSync(base, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'EROFS' ? 'is on a read-only file system' : 'is not writable';
    fail(base === abs ? `${flag} ${dir} ${why}` : `${flag} ${dir}: cannot create it, ${base} ${why}`);
  }
  return abs;
}

/** Creates `dir` one level at a time (Node's recursive mkdir spins forever under /proc) and
 *  returns the folders it made, outermost first, so a caller can remove them on failure. */
export function makeFolders(dir: string, flag: string): string[] {
  const missing: string[] = [];
  for (let p = dir; !fs.existsSync(p); p = path.dirname(p)) missing.unshift(p);
  const made: string[] = [];
  for (const p of missing) {
    try {
      fs.mkdirSync(p);
      made.push(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && fs.statSync(p).isDirectory()) continue;
      for (const q of made.reverse()) {
        try { fs.rmdirSync(q); } catch { /* holds something now: keep it */ }
      }
      fail(`${flag} ${dir}: cannot create ${p}: ${(e as Error).message}`);
    }
  }
  return made;
}
