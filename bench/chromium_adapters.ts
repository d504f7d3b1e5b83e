// `node --import tsx bench/chromium_adapters.ts [--rounds 2] [--steps 3]`: the reference VAE's
// training step (batch 500, 784-400-128-10) in headless Chromium on SwiftShader and on lavapipe
// (src/node/chromium_adapter.ts), alternated round by round so that both see the same machine load,
// and their ratio. Prints one line per run and the median ratio; it is the before/after figure of
// Chromium on lavapipe (SwiftShader is what Chromium used before).
import { Command } from 'commander';
import { adapterName, openHarness } from '../src/node/harness.ts';
import { requirePositiveInt } from '../src/errors.ts';
import { benchPlan, MODELS, vaeConfig } from './config.ts';
import type { StepTiming } from './page/e2e.ts';

const opts = new Command('chromium_adapters')
  .option('--rounds <n>', 'rounds of (SwiftShader, lavapipe)', '2')
  .option('--steps <n>', 'timed steps per run (after one warm-up step)', '3')
  .parse()
  .opts<{ rounds: string; steps: string }>();
const rounds = Number(opts.rounds), steps = Number(opts.steps);
requirePositiveInt('--rounds', rounds);
requirePositiveInt('--steps', steps);
const config = vaeConfig(benchPlan(false), MODELS[0].prior);

async function stepMs(adapter: 'swiftshader' | 'lavapipe'): Promise<number> {
  process.env.TVAE_CHROMIUM_ADAPTER = adapter;
  const h = await openHarness('bench/bench.html?tf=0', { log: (l) => console.error(l) });
  try {
    const t = await h.call<StepTiming>('oursStep', { config, steps });
    if (!(t.stepMs > 0) || !Number.isFinite(t.meanLoss)) throw new Error(`${adapter}: bad timing ${JSON.stringify(t)}`);
    console.log(`${adapter}: ${t.stepMs.toFixed(0)} ms per step (${steps} steps, mean loss ${t.meanLoss.toFixed(2)}) on ${adapterName(h.adapter)}`);
    return t.stepMs;
  } finally {
    await h.close();
  }
}

const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  const swift = await stepMs('swiftshader');
  const lvp = await stepMs('lavapipe');
  ratios.push(swift / lvp);
  console.log(`round ${r + 1}: SwiftShader / lavapipe = ${(swift / lvp).toFixed(2)}`);
}
ratios.sort((a, b) => a - b);
const mid = ratios.length / 2;
const median = ratios.length % 2 ? ratios[Math.floor(mid)] : (ratios[mid - 1] + ratios[mid]) / 2;
console.log(`median SwiftShader / lavapipe step-time ratio over ${rounds} rounds: ${median.toFixed(2)}`);
