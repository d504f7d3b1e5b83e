// `npm run kl-check -- --run runs/x`: the run's reported validation KL against the independent
// oracle on the same weights and noise, and the true KL of its posteriors (src/eval/kl_check.ts).
import { Command } from 'commander';
import { klCheck } from '../eval/kl_check.ts';
import { runMain } from './cli_main.ts';
import { positiveIntArg, resolveUserPath } from './arg_parsers.ts';

const cmd = new Command('kl-check')
  .description("Check a run's reported validation KL against log q(z|x) - log p(z) computed independently from its saved weights")
  .requiredOption('--run <dir>', 'a run folder written by npm run train', resolveUserPath)
  .option('--draws <n>', 'fresh draws per image for the true-KL estimate', positiveIntArg('--draws'), 20)
  .exitOverride();

runMain(cmd, async () => {
  const o = cmd.opts<{ run: string; draws: number }>();
  const c = klCheck(o.run, { draws: o.draws });
  console.log(`run ${c.run}: ${c.family} posterior and prior, epoch ${c.epoch}, ${c.images} validation images`);
  console.log(`reported validation KL (GPU kernel):            ${c.reported.toFixed(4)}`);
  const closed = c.closedForm ? ' (the Gaussian KL is reported in closed form: compare it with the true KL below)' : '';
  console.log(`oracle log q - log p, same weights and noise:   ${c.oracleSameNoise.toFixed(4)} (difference ${(c.reported - c.oracleSameNoise).toExponential(2)})${closed}`);
  console.log(`true KL of the posteriors (${c.draws} fresh draws/image): ${c.trueKl.toFixed(4)} ± ${c.trueKlSe.toFixed(4)} (SE)`);
});
