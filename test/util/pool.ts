// Runs test files as separate processes, a few at a time, in the order given, and prints each
// file's whole report when it ends (so two files' lines never interleave), then a summary that
// names every file that failed. npm test's passes use it instead of `node --test` because they
// need an order of their own (the longest files first, so none starts last and runs alone) and a
// different environment per file (the Node pass's Dawn on lavapipe beside Chromium's SwiftShader).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/node/project_root.ts';
import { nodeArgs } from './compiled.ts';

export interface TestJob {
  /** the file's name in test/ */
  file: string;
  /** where it runs, for the report: "Chromium", "Node + lavapipe" */
  label: string;
  env: NodeJS.ProcessEnv;
}

export interface PoolResult {
  failed: string[];
  /** node:test's counts summed over the files: tests, pass, fail, cancelled, skipped, todo */
  counts: Record<string, number>;
}

/** One file in its own process under node:test's spec reporter; resolves with its exit code and
 *  everything it printed, stdout and stderr in the order they came. */
function runFile(job: TestJob): Promise<{ code: number; out: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, nodeArgs(join('test', job.file), [], ['--test-reporter=spec'], job.env), { cwd: projectRoot, env: job.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', (e) => (out += `could not start: ${e.message}\n`));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out, seconds: (Date.now() - started) / 1000 }));
  });
}

/** Seconds since this process started: the report's timeline (when each file started and ended),
 *  which shows where the pool left a core idle. */
const since = () => performance.now() / 1000;

/** Runs `jobs` in order, at most `concurrency` at a time; a function is asked again whenever a slot
 *  may be free and every half second, so a limit that grows (npm test's pool once the page files
 *  are done) takes effect while files are running. */
export async function runPool(jobs: TestJob[], concurrency: number | (() => number)): Promise<PoolResult> {
  const limit = typeof concurrency === 'number' ? () => concurrency : concurrency;
  const result: PoolResult = { failed: [], counts: {} };
  let next = 0, running = 0;
  const done = (job: TestJob, r: { code: number; out: string; seconds: number }) => {
    // a file whose process failed without a failing test (a crash, a hook that threw) fails too
    const fail = r.code !== 0;
    if (fail) result.failed.push(`${job.file} (${job.label})`);
    for (const m of r.out.matchAll(/^ℹ (tests|pass|fail|cancelled|skipped|todo) (\d+)$/gm)) result.counts[m[1]] = (result.counts[m[1]] ?? 0) + Number(m[2]);
    const end = since();
    process.stdout.write(`\n── ${job.file} (${job.label}): ${fail ? `FAILED (exit ${r.code})` : 'ok'}, ${r.seconds.toFixed(1)} s (${(end - r.seconds).toFixed(0)}-${end.toFixed(0)} s)\n${r.out}`);
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => pump(), 500);
    const pump = () => {
      while (next < jobs.length && running < limit()) {
        const job = jobs[next++];
        running++;
        void runFile(job).then((r) => {
          running--;
          done(job, r);
          pump();
        });
      }
      if (next >= jobs.length && running === 0) {
        clearInterval(timer);
        resolve();
      }
    };
    pump();
  });
  return result;
}

export function merged(...rs: PoolResult[]): PoolResult {
  const out: PoolResult = { failed: [], counts: {} };
  for (const r of rs) {
    out.failed.push(...r.failed);
    for (const [k, v] of Object.entries(r.counts)) out.counts[k] = (out.counts[k] ?? 0) + v;
  }
  return out;
}

export function summary(name: string, r: PoolResult): string {
  const c = (k: string) => r.counts[k] ?? 0;
  const head = `${name}: ${c('tests')} tests, ${c('pass')} pass, ${c('fail')} fail, ${c('cancelled')} cancelled, ${c('skipped')} skipped`;
  return r.failed.length === 0 ? head : `${head}\nfailed files:\n${r.failed.map((f) => `  ${f}`).join('\n')}`;
}
