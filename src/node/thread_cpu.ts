// CPU time of this process's threads from /proc (Linux): the main thread (the one whose id is the
// process id) against all threads together. Node 20 has no per-thread cpuUsage, and the question
// it answers is whether the JS thread spins while the adapter's worker threads (lavapipe's or
// SwiftShader's) do the work, so it is read from the kernel's per-task counters. Elsewhere
// (no /proc) it reports nothing rather than a wrong figure.
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuSplit {
  /** CPU seconds of the main (JS) thread */
  main: number;
  /** CPU seconds of every thread of the process, the main one included */
  total: number;
}

// clock ticks per second of /proc's utime and stime: USER_HZ, 100 on every Linux build in use
const TICKS = 100;

/** utime + stime of one /proc stat line, in seconds (fields 14 and 15; the name field may hold spaces). */
export function statSeconds(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field n is rest[n - 3]
  return (Number(rest[11]) + Number(rest[12])) / TICKS;
}

/** The main thread's and the whole process's CPU seconds so far, or undefined without /proc. */
export function cpuSplit(): CpuSplit | undefined {
  try {
    const main = statSeconds(readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8'));
    // the process line counts exited threads too, which a sum over live tasks would miss
    const total = statSeconds(readFileSync('/proc/self/stat', 'utf8'));
    return { main, total };
  } catch {
    return undefined;
  }
}

/** The share of the process's CPU time the main thread used between two readings, in [0, 1]. The
 *  kernel scales a thread's and the process's user/system split each on its own, so at clock-tick
 *  resolution the process can read a tick or two below its main thread (0.09 against 0.10 s seen
 *  early in a process): the share is capped at 1. */
export function mainShare(before: CpuSplit, after: CpuSplit): { main: number; total: number; share: number } {
  const main = after.main - before.main, total = after.total - before.total;
  return { main, total, share: total > 0 ? Math.min(1, main / total) : 0 };
}

/** One log line: the main thread's share of the process's CPU over some work. */
export function describeCpuSplit(d: { main: number; total: number; share: number }, what: string): string {
  return `main thread: ${(100 * d.share).toFixed(1)}% of the process's CPU while ${what} (${d.main.toFixed(2)} of ${d.total.toFixed(2)} CPU-seconds; the rest is the adapter's threads)`;
}

/** Thread names and CPU seconds, for a one-off look at who uses the CPU (not used in the hot path). */
export function threadTable(): { tid: number; name: string; seconds: number }[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return { tid: Number(tid), name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), seconds: statSeconds(stat) };
  });
}
