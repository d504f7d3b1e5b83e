// `node --import tsx bench/peers_run.ts [--quick]`: only the peer table of the bench (bench/peers.ts),
// in one run: the Gaussian VAE's reference step timed by ours, TF.js WebGPU and jax-js WebGPU in
// plain Node through Dawn (the same adapter: TVAE_ADAPTER), jax-js WebAssembly in headless
// Chromium (multi-threaded, the page cross-origin isolated) and PyTorch on the CPU. Minutes, where
// the whole bench takes far longer on a software adapter; `npm run bench` prints the same table
// among its sections.
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/node/project_root.ts';
import { relaunchWithDriverLibraries } from '../src/node/relaunch.ts';
import { benchPlan, MODELS, vaeConfig } from './config.ts';
import { openNodeBench } from './node_bench.ts';
import type { StepTiming } from './page/e2e.ts';
import { jaxPeers, peersReport } from './peers.ts';
import { runPytorchPeer } from './pytorch_merge.ts';
import { side } from './results_types.ts';

const opts = new Command('peers_run')
  .description('the bench\'s peer table alone: ours vs TF.js vs jax-js vs PyTorch on the reference step')
  .option('--quick', 'tiny shapes (numbers mean nothing)', false)
  .option('--python <path>', 'the interpreter of the PyTorch peer', existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3')
  .parse()
  .opts<{ quick: boolean; python: string }>();

process.env.TVAE_RUNTIME = 'node';
const code = await relaunchWithDriverLibraries();
if (code !== undefined) process.exit(code);

const log = (l: string) => console.error(`[peers] ${l}`);
const plan = benchPlan(opts.quick);
const config = vaeConfig(plan, MODELS[0].prior);
const h = await openNodeBench(log);
try {
  const info = await h.call<{ tf: { backend: string; version: string; error?: string } }>('info');
  // the GEMM variants tuned (or read from the tuning cache) first, as npm run bench does
  log((await h.call<{ choices: string }>('tuneKernels', { config })).choices);
  log('ours');
  const ours = await h.call<StepTiming>('oursStep', { config, steps: plan.e2eSteps });
  log('TF.js');
  const tf = info.tf.error ? undefined : await h.call<StepTiming>('tfStep', { config, steps: plan.e2eSteps });
  const jax = await jaxPeers(h, config, plan, log, 'node');
  log('PyTorch');
  const pytorch = runPytorchPeer(join(projectRoot, 'bench/peers/pytorch_vae.py'), { quick: opts.quick, python: opts.python });
  console.log(peersReport({
    meta: { plan, tf: info.tf },
    e2e: [{ model: 'gaussian', ours: side(ours, plan), ...(tf ? { tf: side(tf, plan) } : {}) }],
    jax,
    pytorch,
  }));
} finally {
  await h.close();
}
process.exit(0);
