// `npm run bench [-- --quick] [--out dir]`: opens the bench page in headless Chromium (the
// tests' harness), runs the five sections, prints the report and writes it as JSON + Markdown.
// Correctness gates speed: a non-finite or non-positive number fails the run.
import { Command } from 'commander';
import { execSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { openHarness } from '../src/node/harness.ts';
import { projectRoot } from '../src/node/server.ts';
import { benchPlan } from './config.ts';
import { badNumbers } from './format.ts';
import { renderReport } from './report.ts';
import type { BenchResults } from './results_types.ts';
import { runSections } from './sections.ts';

const opts = new Command('bench')
  .description('Profile and benchmark the WGSL VAEs against TensorFlow.js WebGPU and the CPU reference')
  .option('--quick', 'tiny shapes: a smoke test that the bench runs (numbers mean nothing)', false)
  .option('--out <dir>', 'folder for the JSON and Markdown results', join(projectRoot, 'bench/results'))
  .parse()
  .opts<{ quick: boolean; out: string }>();

const git = (args: string): string => {
  try {
    return execSync(`git ${args}`, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};

const plan = benchPlan(opts.quick);
const loadBefore = loadavg()[0];
const t0 = performance.now();
const log = (line: string) => console.error(`[bench ${((performance.now() - t0) / 1000).toFixed(0)}s] ${line}`);
const harness = await openHarness('bench/bench.html', { log: (l) => console.error(l) });
let results: BenchResults;
try {
  const partial = await runSections(harness, plan, log);
  results = {
    meta: {
      ...partial.meta,
      date: new Date().toISOString(),
      commit: git('rev-parse HEAD') || 'unknown',
      dirty: git('status --porcelain') !== '',
      quick: opts.quick,
      node: process.version,
      cpus: cpus().length,
      loadBefore,
      loadAfter: loadavg()[0],
      plan,
      seconds: (performance.now() - t0) / 1000,
    },
    ...partial.sections,
  };
} finally {
  await harness.close();
}

const report = renderReport(results);
const out = resolve(opts.out);
const base = join(out, opts.quick ? 'bench-quick' : 'bench');
mkdirSync(out, { recursive: true });
for (const [ext, text] of [['json', JSON.stringify(results, null, 2) + '\n'], ['md', report]]) {
  writeFileSync(`${base}.${ext}.tmp`, text); // then renamed, so a killed run leaves no half file
  renameSync(`${base}.${ext}.tmp`, `${base}.${ext}`);
}
console.log(report);
console.log(`written: ${base}.json, ${base}.md`);
const bad = badNumbers(results, (path) => path.endsWith('.layer'));
if (bad.length > 0) {
  console.error(`bench: ${bad.length} numbers are not finite and positive:\n  ${bad.slice(0, 20).join('\n  ')}`);
  process.exit(1);
}
