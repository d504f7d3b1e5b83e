// Child processes (headless Chromium) die with the CLI, however it ends. A guard is a tiny
// detached `sh` that blocks reading a pipe from this process: the kernel closes the pipe when this
// process exits for any reason, SIGKILL included, and the guard then kills the child's process
// group and every process whose command line holds the child's mark, and removes its folders.
// Detached, so a terminal Ctrl-C (sent to our group) leaves it be.
// The guard starts BEFORE the child: started after it, a CLI killed between the child's exec and
// the guard's (a few ms, wider on a loaded machine) left a whole Chromium behind (faults_jobs test
// 14 caught it once). The child's pid reaches the guard as the first line on the pipe; if the CLI
// dies before writing it, the mark (Chromium's --user-data-dir=...) still finds the processes.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const GUARD = [
  'read pgid',
  'read _ignored',
  '[ -n "$pgid" ] && kill -KILL "-$pgid" 2>/dev/null',
  'pkill -KILL -f -- "$1" 2>/dev/null',
  // give the killed processes a moment to go before their folder is removed
  'for i in 1 2 3 4 5 6 7 8 9 10; do pgrep -f -- "$1" >/dev/null 2>&1 || { [ -n "$pgid" ] && kill -0 "-$pgid" 2>/dev/null; } || break; sleep 0.1; done',
  'shift',
  'rm -rf -- "$@"',
].join('\n');

export interface ChildGuard {
  /** the child is spawned: its process group (a child spawned detached: its pid) */
  watch(pgid: number): void;
  /** the child exited normally: stop guarding and remove its folders */
  release(): void;
}

const live = new Set<{ pgid?: number; dirs: string[] }>();

/** `mark` as a pgrep/pkill pattern that matches it but not itself: the guard's own command line
 *  holds the pattern, and the guard must not kill itself ("-x" -> "[-]x"; regex characters escaped). */
export function selfExcluding(mark: string): string {
  if (!/^[\w-]/.test(mark)) throw new Error(`guard mark must start with a word character or "-": ${mark}`);
  return `[${mark[0]}]${mark.slice(1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
}

/** Starts a guard for a child about to be spawned: on our exit it kills the processes whose
 *  command line holds `mark` (and the group given to watch()) and removes `dirs`. */
export function guardChild(mark: string, dirs: string[]): ChildGuard {
  const entry: { pgid?: number; dirs: string[] } = { dirs };
  live.add(entry);
  const sh = spawn('/bin/sh', ['-c', GUARD, 'tvae-guard', selfExcluding(mark), ...dirs], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  sh.on('error', () => undefined); // no /bin/sh: the exit paths below still kill the child
  sh.stdin?.on('error', () => undefined);
  sh.unref();
  return {
    watch(pgid) {
      entry.pgid = pgid;
      sh.stdin?.write(`${pgid}\n`);
    },
    release() {
      live.delete(entry);
      sh.stdin?.end(); // the guard wakes, finds the group gone and removes what is left
      for (const d of dirs) {
        // a process of the group may still be writing there; the guard removes it once all are gone
        try { rmSync(d, { recursive: true, force: true }); } catch { /* left to the guard */ }
      }
    },
  };
}

/** Kills every guarded child now, synchronously: for signal handlers that exit right after. */
export function killGuardedChildren(): void {
  for (const e of live) {
    if (e.pgid === undefined) continue;
    try { process.kill(-e.pgid, 'SIGKILL'); } catch { /* gone already */ }
  }
  live.clear();
}
