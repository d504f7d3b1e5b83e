// A CLI in a child process that a test can watch and interrupt: wait for a line, send a signal,
// collect the outcome. For fault tests (Ctrl-C, SIGKILL, two runs at once); util/cli.ts runs
// a CLI to completion.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { projectRoot } from '../../src/node/project_root.ts';
import type { Runtime } from '../../src/node/worker.ts';
import { cliEnv } from './cli.ts';
import { nodeArgs } from './compiled.ts';

export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  /** resolves once stdout matches; rejects if the process ends first */
  waitFor(re: RegExp): Promise<void>;
  ended: Promise<Ended>;
}

/** Starts a CLI on the Node runtime unless `runtime` says otherwise (see cliEnv in util/cli.ts);
 *  `env` adds variables over process.env. */
export function startCli(script: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; runtime?: Runtime } = {}): RunningCli {
  const child = spawn(process.execPath, nodeArgs(script, args), {
    cwd: opts.cwd ?? projectRoot,
    env: cliEnv(opts.runtime, { ...process.env, ...opts.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '', err = '';
  const waiters: { re: RegExp; resolve: () => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) if (w.re.test(out)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  child.stdout!.on('data', (d) => { out += d; check(); });
  child.stderr!.on('data', (d) => { err += d; });
  const ended = new Promise<Ended>((resolve) => {
    child.on('close', (code, signal) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`the CLI ended (code ${code}, signal ${signal}) before printing ${w.re}:\n${out}\n${err}`));
      resolve({ code, signal, stdout: out, stderr: err });
    });
  });
  return {
    child,
    pid: child.pid!,
    stdout: () => out,
    waitFor: (re) => new Promise<void>((resolve, reject) => {
      waiters.push({ re, resolve, reject });
      check();
    }),
    ended,
  };
}

/** Pids of live processes whose command line mentions `needle` (e.g. a CLI's Chromium profile). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue; // a zombie is dead already, waiting to be reaped
      if (cmd.includes(needle)) pids.push(Number(name));
    } catch { /* ended while we looked */ }
  }
  return pids;
}

/** Polls `cond` until it holds or `limitMs` passes (a bound on waiting, not a timing assertion). */
export async function eventually(cond: () => boolean, limitMs = 15_000): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < limitMs; ) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}
