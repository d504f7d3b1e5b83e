// Whether a process id is running on this machine: the owner test behind run-folder locks, stale
// `*.tmp-<pid>` files and leaked Chromium profile folders.

/** Signal 0 checks existence without touching the process; EPERM means it exists but is not ours. */
export function pidAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
