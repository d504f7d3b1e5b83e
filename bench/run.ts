// `npm run bench [-- --quick] [--out dir]`: runs the seven sections on the bench page in headless
// Chromium (the tests' harness), or in-process in plain Node through Dawn (TVAE_RUNTIME=node, and
// by default where there is no Chromium: a GPU server), adds the PyTorch peer
// (bench/peers/pytorch_vae.py, when python3 is there), prints the report and writes it as JSON +
// Markdown. Correctness gates speed: a non-finite or non-positive number fails the run.
import { Command } from 'commander';
import { execSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { projectRoot } from '../src/node/project_root.ts';
import { hasChromium } from '../src/node/chromium_path.ts';
import { relaunchWithDriverLibraries } from '../src/node/relaunch.ts';
import { runtimeFromEnv, type Runtime } from '../src/node/worker.ts';
import { TvaeError } from '../src/errors.ts';
import { runPytorchPeer } from './pytorch_merge.ts';
import { benchPlan } from './config.ts';
import { cpuPeak } from './cpu_peak.ts';
import { badNumbers } from './format.ts';
import { renderReport } from './report.ts';
import { mayBeZero, type BenchResults } from './results_types.ts';
import { runSections } from './sections.ts';

const opts = new Command('bench')
  .description('Profile and benchmark the WGSL VAEs against TensorFlow.js WebGPU and the CPU reference')
  .option('--quick', 'tiny shapes: a smoke test that the bench runs (numbers mean nothing)', false)
  .option('--out <dir>', 'folder for the JSON and Markdown results', join(projectRoot, 'bench/results'))
  .option('--no-tf', 'without the TF.js peer (its rows are then marked skipped)')
  .option('--pytorch <script>', 'the PyTorch peer script, or "none"', join(projectRoot, 'bench/peers/pytorch_vae.py'))
  // Debian's python3-torch (scripts/bench-setup.sh) is Debian's python's: a python3 earlier on the PATH may lack it
  .option('--python <path>', 'the interpreter of the PyTorch peer', existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')
  .parse()
  .opts<{ quick: boolean; out: string; pytorch: string; python: string; tf: boolean }>();

// no browser here (a GPU server): the Node runtime is the only one there is
if (!process.env.TVAE_RUNTIME && !hasChromium()) process.env.TVAE_RUNTIME = 'node';
let runtime: Runtime;
try {
  runtime = runtimeFromEnv();
} catch (e) {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(2);
}
// the Node runtime's driver may need LD_LIBRARY_PATH, which only a fresh process picks up
if (runtime === 'node') {
  const code = await relaunchWithDriverLibraries();
  if (code !== undefined) process.exit(code);
}

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
async function openBench() {
  if (runtime === 'node') return (await import('./node_bench.ts')).openNodeBench((l) => console.error(l), { tf: opts.tf });
  const { openHarness } = await import('../src/node/harness.ts');
  // cross-origin isolated: the jax-js WebAssembly peer runs its Web Workers on this page
  return openHarness(`bench/bench.html${opts.tf ? '' : '?tf=0'}`, { log: (l) => console.error(l), crossOriginIsolated: true });
}
let harness;
try {
  harness = await openBench();
} catch (e) {
  console.error(e instanceof TvaeError ? `bench: error: ${e.message}` : e);
  process.exit(1);
}
log(`runtime: ${runtime}`);
let results: BenchResults;
try {
  const partial = await runSections(harness, plan, log, runtime);
  const pytorch = opts.pytorch === 'none'
    ? { peer: 'pytorch' as const, available: false as const, reason: 'not asked for (--pytorch none)' }
    : existsSync(opts.pytorch)
      ? (log(`8. PyTorch peer: ${opts.python} ${opts.pytorch}`), runPytorchPeer(opts.pytorch, { quick: opts.quick, python: opts.python }))
      : { peer: 'pytorch' as const, available: false as const, reason: `${opts.pytorch} not found` };
  results = {
    meta: {
      ...partial.meta,
      date: new Date().toISOString(),
      commit: git('rev-parse HEAD') || 'unknown',
      dirty: git('status --porcelain') !== '',
      quick: opts.quick,
      node: process.version,
      runtime,
      cpus: cpus().length,
      ...(cpuPeak() ? { cpuPeak: cpuPeak() } : {}),
      loadBefore,
      loadAfter: loadavg()[0],
      plan,
      seconds: (performance.now() - t0) / 1000,
    },
    ...partial.sections,
    pytorch,
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
const bad = badNumbers(results, mayBeZero);
if (bad.length > 0) {
  console.error(`bench: ${bad.length} numbers are not finite and positive:\n  ${bad.slice(0, 20).join('\n  ')}`);
  process.exit(1);
}
