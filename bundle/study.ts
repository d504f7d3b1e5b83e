// The GPU bundle's reference study under a time budget: a probe run measures this adapter's speed
// (its first epochs, and the imputation protocol at two test sizes, so fixed costs are not counted
// per image), study_plan.ts turns that into seeds, nu values and sizes, the plan is printed, and
// then `npm start`'s own code (main.mjs, beside this file in the bundle) runs it and writes its
// report. Reference settings throughout (--reference): SGD, batch 500, lr 0.005.
//   node study.mjs --budget-s S --data DIR --out DIR [--main PATH]
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { toTrainOptions, trainCommand } from '../src/cli/train_options.ts';
import { evaluateRuns } from '../src/eval/run_eval.ts';
import { PROTOCOL } from '../src/eval/protocol.ts';
import { probeAdapter } from '../src/node/worker.ts';
import { trainRun } from '../src/train/run.ts';
import { describePlan, planStudy, REFERENCE_STUDY, type ProbeSpeed } from './study_plan.ts';

const positive = (v: string) => {
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`must be a number > 0, got "${v}"`);
  return n;
};

const o = new Command('study')
  .requiredOption('--budget-s <s>', 'seconds for the whole study, probe included', positive)
  .requiredOption('--data <dir>', 'the MNIST IDX folder')
  .requiredOption('--out <dir>', 'folder for the probe, the plan and the study report')
  .option('--main <path>', 'the bundled npm start CLI', fileURLToPath(new URL('./main.mjs', import.meta.url)))
  .parse()
  .opts<{ budgetS: number; data: string; out: string; main: string }>();

const t0 = performance.now();
const elapsedS = () => (performance.now() - t0) / 1000;
const log = (l: string) => console.log(`[study ${elapsedS().toFixed(0)}s] ${l}`);

async function probe(): Promise<ProbeSpeed> {
  const adapter = await probeAdapter();
  // small on a software adapter, where one reference-sized epoch alone takes a minute. The
  // protocol runs 30 draws per image in batches of 500 rows: both test sizes span whole batches
  // (17 x 30 = 510 rows), else the two times differ by noise alone
  const s = adapter.isSoftware ? { limit: 500, valid: 500, epochs: 2, tests: [17, 34] } : { limit: 10_000, valid: 5_000, epochs: 3, tests: [100, 500] };
  log(`probe: Gaussian VAE, ${s.epochs} epochs on ${s.limit} + ${s.valid} images (${adapter.vendor} ${adapter.architecture})`);
  const dir = join(o.out, 'probe', 'gaussian');
  const args = ['--model', 'gaussian', '--epochs', String(s.epochs), '--limit', String(s.limit), '--valid-limit', String(s.valid), '--batch', String(REFERENCE_STUDY.batch), '--data', o.data, '--out', dir];
  const tRun = performance.now();
  const { history } = await trainRun(toTrainOptions(trainCommand().parse(args, { from: 'user' }).opts()), { log });
  const runS = (performance.now() - tRun) / 1000;
  const last = history[history.length - 1]; // the first epoch compiles pipelines: the last one is the warm speed
  const epochSPerImage = last.seconds / (s.limit + s.valid);
  const runOverheadS = Math.max(0, runS - history.reduce((a, h) => a + h.seconds, 0));
  const evalS: number[] = [];
  for (const n of s.tests) {
    const tE = performance.now();
    await evaluateRuns([dir], { testLimit: n, draws: PROTOCOL.draws, gibbsRounds: PROTOCOL.gibbsRounds, maskSeed: PROTOCOL.maskSeed, samples: PROTOCOL.samples }, () => undefined);
    evalS.push((performance.now() - tE) / 1000);
    log(`probe: imputation protocol on ${n} test images: ${evalS[evalS.length - 1].toFixed(1)} s`);
  }
  // slope between the two sizes: the per-image cost, without the worker start and data load
  // (noise can make it negative: then all of the larger run's time counts per image, erring long)
  const slope = (evalS[1] - evalS[0]) / (s.tests[1] - s.tests[0]);
  const evalSPerImage = slope > 0 ? slope : evalS[1] / s.tests[1];
  const speed = { epochSPerImage, runOverheadS: runOverheadS + Math.max(0, evalS[0] - evalSPerImage * s.tests[0]), evalSPerImage };
  log(`probe: ${(epochSPerImage * 1e3).toFixed(3)} ms per image-epoch (a full reference epoch ${(epochSPerImage * (REFERENCE_STUDY.train + REFERENCE_STUDY.valid)).toFixed(1)} s), ${speed.runOverheadS.toFixed(1)} s per model fixed, ${(evalSPerImage * 1e3).toFixed(1)} ms per test image per model`);
  return speed;
}

async function main(): Promise<number> {
  mkdirSync(o.out, { recursive: true });
  const speed = await probe();
  const plan = planStudy(Math.max(1, o.budgetS - elapsedS()), speed);
  writeFileSync(join(o.out, 'plan.json'), JSON.stringify({ probe: speed, plan }, null, 2) + '\n');
  log(`PLAN: ${describePlan(plan)}`);
  const args = ['--study', 'reference', '--reference', '--epochs', String(plan.epochs), '--limit', String(plan.limit), '--seeds', String(plan.seeds),
    '--nu', plan.nus.join(','), '--test-limit', String(plan.testLimit), '--data', o.data, '--out', join(o.out, 'report')];
  log(`running: main.mjs ${args.join(' ')}`);
  const child = spawn(process.execPath, [o.main, ...args], { stdio: 'inherit' });
  const onInt = () => child.kill('SIGINT');
  process.on('SIGINT', onInt).on('SIGTERM', onInt);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });
}

main().then(
  (code) => {
    log(code === 0 ? 'study done' : `study ended with status ${code}`);
    process.exit(code);
  },
  (e) => {
    console.error(`study: error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
