// `npm run bench:kernels [-- --quick] [--steps N]`: the kernel families alone, in plain Node on the
// adapter the Node runtime picks (TVAE_ADAPTER=lavapipe|swiftshader|gpu): tunes the reference
// VAE's GEMMs (or reads the tuning cache), prints each GEMM's time in every variant, then the
// training step with the tuned choices against the same step with every GEMM forced to today's
// kernel (`base`), alternated in one run. The full bench (npm run bench) has the same sections.
// `--cnn` does the same for the CNN VAE's step (its conv passes, dense layers and the GEMMs of the
// conv families' im2col variants tuned; base = every family's original kernel), `--batch` sets its batch.
// `--profile`: only the tuned reference step, operation by operation (bench/page/step_profile.ts).
import { Command } from 'commander';
import { relaunchWithDriverLibraries } from '../src/node/relaunch.ts';
import { openDawnDevice } from '../src/node/dawn_worker.ts';
import { benchPlan, CNN_MODELS, cnnConfig, MODELS, vaeConfig } from './config.ts';
import { gemmVariantTimes, tunedStepVsBase, tuneForBench } from './page/kernel_variants.ts';
import { formatOpProfile, profileOps } from './page/step_profile.ts';
import { stepComparison } from './report_kernels.ts';

const opts = new Command('bench:kernels')
  .description('Time every GEMM variant and the tuned training step against the base kernels')
  .option('--quick', 'tiny shapes (a smoke test; numbers mean nothing)', false)
  .option('--steps <n>', 'training steps per timed round', '3')
  .option('--cnn', 'the CNN VAE (bench section 7\'s model) instead of the reference MLP', false)
  .option('--batch <n>', 'the CNN\'s batch (default: the bench plan\'s)')
  .option('--profile', 'only the tuned step, each operation (texture packs too) timed alone', false)
  .parse()
  .opts<{ quick: boolean; steps: string; cnn: boolean; batch?: string; profile: boolean }>();
const steps = Number(opts.steps);
if (!Number.isInteger(steps) || steps < 1 || steps > 100) {
  console.error(`bench:kernels: --steps must be an integer in [1, 100], got ${opts.steps}`);
  process.exit(2);
}
if (opts.batch !== undefined && !(/^\d{1,5}$/.test(opts.batch) && Number(opts.batch) >= 1)) {
  console.error(`bench:kernels: --batch must be a positive integer, got ${opts.batch}`);
  process.exit(2);
}
const code = await relaunchWithDriverLibraries();
if (code !== undefined) process.exit(code);

const plan = benchPlan(opts.quick);
const { device, ctx, adapter } = await openDawnDevice((l) => console.error(l));
console.log(`adapter: ${adapter.description} (${adapter.driver}), subgroup size ${adapter.subgroupSize ?? 0}, features: ${(adapter.features ?? []).join(' ') || 'none'}`);
if (opts.cnn) {
  if (opts.batch !== undefined) plan.cnn.batch = Number(opts.batch);
  const step = await tunedStepVsBase(ctx, cnnConfig(plan, CNN_MODELS[0].prior), steps, (l) => console.log(l));
  const n = plan.cnn.net;
  console.log(`\ntraining step (CNN VAE ${n.image.height}x${n.image.width}, channels ${n.channels.join(',')}, Gaussian, batch ${plan.cnn.batch}):`);
  console.log(`  ${stepComparison(step, steps)}`);
  console.log(`  ${step.kernels}`);
  device.destroy();
  process.exit(0);
}
const config = vaeConfig(plan, MODELS[0].prior);
if (opts.profile) {
  const tuning = await tuneForBench(ctx, config);
  console.log(`\ntuned training step (${plan.quick ? 'quick shape' : 'reference VAE 784-400-128-10, Gaussian'}, batch ${plan.batch}), each operation alone, best of 3:`);
  for (const line of formatOpProfile(await profileOps(ctx, config, steps))) console.log(`  ${line}`);
  console.log(`  ${tuning.choices}`);
  device.destroy();
  process.exit(0);
}
const step = await tunedStepVsBase(ctx, config, steps, (l) => console.log(l));
const rows = await gemmVariantTimes(ctx, config, 3);
const names = [...new Set(rows.flatMap((r) => Object.keys(r.ms)))];
console.log(`\nGEMM wall ms, best of 3 (GFLOP/s of the chosen variant); * = tuned choice`);
console.log(['family', 'MxNxK', ...names, 'chosen GFLOP/s', 'base/chosen'].join('\t'));
for (const r of rows) {
  const flop = 2 * r.M * r.N * r.K;
  const cells = names.map((n) => (r.ms[n] === undefined ? '-' : `${r.ms[n].toFixed(2)}${n === r.chosen ? '*' : ''}`));
  console.log([r.family, `${r.M}x${r.N}x${r.K}`, ...cells, (flop / (r.ms[r.chosen] * 1e6)).toFixed(2), (r.ms.base / r.ms[r.chosen]).toFixed(2)].join('\t'));
}
console.log(`\ntraining step (${plan.quick ? 'quick shape' : 'reference VAE 784-400-128-10, Gaussian'}, batch ${plan.batch}):`);
console.log(`  ${stepComparison(step, steps)}`);
console.log(`  ${step.kernels}`);
device.destroy();
process.exit(0);
