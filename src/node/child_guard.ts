// Child processes (headless Chromium) die with the CLI, however it ends. A guard is a tiny
// detached `sh` that blocks reading a pipe from this process: the kernel closes the pipe when this
// process exits for any reason, SIGKILL included, and the guard then kills the child's process
// group and removes its folders. Detached, so a terminal Ctrl-C (sent to our group) leaves it be.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const GUARD = [
  'read _ignored',
  'kill -KILL "-$1" 2>/dev/null',
  // give the killed processes a moment to go before their folder is removed
  'for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "-$1" 2>/dev/null || break; sleep 0.1; done',
  'shift',
  'rm -rf -- "$@"',
].join('\n');

export interface ChildGuard {
  /** the child exited normally: stop guarding and remove its folders */
  release(): void;
}

const live = new Set<{ pgid: number; dirs: string[] }>();

/** Guards the process group `pgid` (a child spawned detached: its pid) and the folders it uses. */
export function guardChild(pgid: number, dirs: string[]): ChildGuard {
  const entry = { pgid, dirs };
  live.add(entry);
  const sh = spawn('/bin/sh', ['-c', GUARD, 'tvae-guard', String(pgid), ...dirs], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  sh.on('error', () => undefined); // no /bin/sh: the exit paths below still kill the child
  sh.stdin?.on('error', () => undefined);
  sh.unref();
  return {
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
    try { process.kill(-e.pgid, 'SIGKILL'); } catch { /* gone already */ }
  }
  live.clear();
}
