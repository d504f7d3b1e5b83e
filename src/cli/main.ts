// `npm start`: the main job. Trains the Gaussian VAE and the t-prior VAE (one per nu) with the
// reference settings on the default data for several seeds, evaluates them all on the same masks
// and writes a report folder. On a software adapter it trains with the software-adapter preset
// (src/train/presets.ts) instead, on the fastest runtime there (plain Node on lavapipe), unless
// --reference is given (then the reference settings, scaled down unless sizes are given).
import { Command, InvalidArgumentError, Option } from 'commander';
import { join } from 'node:path';
import { parseTrainArgs } from './validate_args.ts';
import { MAX_SEED, resolveUserPath } from './arg_parsers.ts';
import { Job, checkJobTarget, runJob, type JobOptions } from './job.ts';
import { runFolderEvalCache } from '../eval/eval_cache.ts';
import { checkDispatchFit } from '../model/device_fit.ts';
import { installInterruptHandlers } from '../node/interrupts.ts';
import { formatEpoch } from '../train/run.ts';
import { evaluateRuns } from '../eval/run_eval.ts';
import { PROTOCOL } from '../eval/protocol.ts';
import { groupByModel } from '../eval/aggregate.ts';
import { aggregateTable, verdictSentences } from '../eval/verdict_table.ts';
import { writeReport } from '../report/write_report.ts';
import { hasChromium } from '../node/chromium_path.ts';
import { probeAdapter, type Runtime } from '../node/worker.ts';
import { chooseVulkanDriver } from '../node/vulkan_driver.ts';
import { describePreset, presetArgs, SOFTWARE_PRESET } from '../train/presets.ts';
import { measuredByReference } from '../eval/reference_numbers.ts';
import { runMain } from './cli_main.ts';
import type { StudyOptions } from '../studies/options.ts';
import { fail } from '../errors.ts';
import { SYNTHETIC_NAMES, type SyntheticName } from '../data/synthetic.ts';

/** Seeds on a software adapter unless --seeds is given: each seed trains and evaluates every model. */
const SOFTWARE_SEEDS = 2;
const GPU_SEEDS = 3;

const positiveInt = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a positive integer, got "${v}"`);
  return n;
};

/** Seeds are 32-bit (src/cli/arg_parsers.ts): a count past that would name the wrong flag later. */
const seedCount = (v: string) => {
  const n = positiveInt('--seeds')(v);
  if (n > MAX_SEED) throw new InvalidArgumentError(`--seeds must be at most ${MAX_SEED} (seeds are 32-bit), got "${v}"`);
  return n;
};

const nuList = (v: string): number[] =>
  v.split(',').map((s) => {
    const n = Number(s);
    if (s.trim() === '' || !(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`--nu entries must be numbers > 0, got "${s}"`);
    return n;
  });

/** MwG iterations: a positive integer, bounded like impute's --mwg (each one decodes every image). */
const mwgIterations = (v: string) => {
  const n = positiveInt('--mwg-iterations')(v);
  if (n > 10000) throw new InvalidArgumentError(`--mwg-iterations must be at most 10000, got "${v}"`);
  return n;
};

const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
const STUDIES = ['reference', 'covariance', 'latent-size', 'student-t-cnn', 'tables'] as const;

const latentList = (v: string): number[] =>
  v.split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--latents entries must be positive integers, got "${s}"`);
    return n;
  });

const setList = (v: string): SyntheticName[] =>
  v.split(',').map((s) => {
    if (!(SYNTHETIC_NAMES as readonly string[]).includes(s)) fail(`--sets entries must be among ${SYNTHETIC_NAMES.join(', ')}, got "${s}"`);
    return s as SyntheticName;
  });

const cmd = new Command('start')
  .description('Run a study by name (default: the reference study: train both VAEs over several seeds, evaluate them with the imputation protocol and write a report)')
  .addOption(new Option('--study <name>', 'reference (Gaussian vs t prior on MNIST), covariance (diagonal vs full posterior on five synthetic 2-D sets) latent-size (latent 2-20, decoder family, conditional VAE on MNIST) or student-t-cnn (multivariate Gaussian vs t, latent 3, MNIST and Fashion-MNIST; --data gives the Fashion-MNIST folder), tables (VAE imputation of real tables against mean/mode, kNN, MICE and a forest)').choices(STUDIES).default('reference'))
  .option('--latents <list>', 'latent-size study: the latent sizes (default 2,5,10,20)', latentList)
  .option('--epochs <n>', 'epochs per model (reference 300)')
  .option('--limit <n>', 'train on the first N training images')
  .option('--test-limit <n>', 'evaluate on the first N test images', positiveInt('--test-limit'))
  .option('--mwg-iterations <n>', `Metropolis-within-Gibbs iterations per mask in the evaluation, reference and student-t-cnn studies (default ${PROTOCOL.gibbsRounds * PROTOCOL.draws}, the decoder budget of pseudo-Gibbs)`, mwgIterations)
  .option('--nu <list>', 'nu of the t prior; a comma-separated list trains one t model per nu', nuList, [21])
  .option('--multivariate', 'multivariate t noise (one chi2 draw per latent vector)', false)
  .option('--seeds <n>', `training seeds 1..N (default ${GPU_SEEDS} on a GPU, ${SOFTWARE_SEEDS} on a software adapter)`, seedCount)
  .option('--data <dir>', 'folder of IDX files instead of the embedded MNIST')
  .option('--split <sizes>', 'train,valid,test sizes or fractions (MNIST default 55000,5000,10000)')
  .option('--sets <list>', `covariance study: the synthetic sets to run (default all: ${SYNTHETIC_NAMES.join(',')}); student-t-cnn: mnist,fashion-mnist; tables: breast-cancer,wine,penguins,cars`)
  .option('--rates <list>', 'tables study: MCAR missing rates (default 0.2,0.5)')
  .option('--nets <list>', 'student-t-cnn study: the networks, fc,cnn (default both)')
  .option('--hidden <widths>', 'encoder hidden widths, the decoder mirrors them (reference 400,128)')
  .option('--latent <n>', 'latent dimension (reference 10)')
  .option('--reference', 'the reference settings (SGD, lr 0.005, batch 500) even on a software adapter, which otherwise trains with the software-adapter preset', false)
  .addOption(new Option('--out <dir>', 'report folder').default(`runs/report-${stamp}`))
  .option('--resume', 'continue the job in --out (stopped by Ctrl-C, a kill or a failure) with the same options: finished models are reused, an interrupted one continues from its checkpoint', false)
  .exitOverride();

/** Without a GPU, the Node runtime on the project-local lavapipe is the fastest place for the
 *  work (~3.5x SwiftShader's kernels, /work/shared/webgpu.md): taken when the user chose no
 *  runtime and setup.sh installed lavapipe. Decided from files, before any GPU work starts. */
function fastestRuntime(): Runtime | undefined {
  return chooseVulkanDriver().kind === 'lavapipe' ? 'node' : undefined;
}

/** The student-t-cnn study with its own options checked now, before the job folder is touched. */
async function studentT(): Promise<(common: StudyOptions) => Promise<string>> {
  const o = cmd.opts<{ sets?: string; nets?: string; data?: string; nu: number[] }>();
  const m = await import('../studies/student_t.ts');
  const own = {
    fashion: o.data, nu: o.nu.length === 1 ? o.nu[0] : fail('--study student-t-cnn takes one --nu'),
    sets: m.parseList('--sets', o.sets, m.STUDENT_T_SETS), nets: m.parseList('--nets', o.nets, m.STUDENT_T_NETS),
  };
  return (common) => m.studentTStudy({ ...common, ...own }, (l) => console.log(l));
}

/** The tables study with its own options checked now, before the job folder is touched. */
async function tables(): Promise<(common: StudyOptions) => Promise<string>> {
  const o = cmd.opts<{ sets?: string; rates?: string }>();
  const m = await import('../studies/tables/options.ts');
  const own = { sets: m.parseTableSets(o.sets), rates: m.parseRates(o.rates) };
  const study = await import('../studies/tables/study.ts');
  return (common) => study.tablesStudy({ ...common, ...own }, (l) => console.log(l));
}

runMain(cmd, async () => {
  const o = cmd.opts<{ study: (typeof STUDIES)[number]; sets?: string; nets?: string; latents?: number[]; epochs?: string; limit?: string; testLimit?: number; mwgIterations?: number; nu: number[]; multivariate: boolean; seeds?: number; data?: string; split?: string; hidden?: string; latent?: string; reference: boolean; out: string; resume: boolean }>();
  o.out = resolveUserPath(o.out);
  if (o.data && !o.data.startsWith('synthetic:')) o.data = resolveUserPath(o.data);
  // what defines the job: a --resume under other options is refused, naming the difference
  const { out: _out, resume: _resume, study, ...rest } = o;
  const jobOptions = rest as JobOptions;
  // Ctrl-C from here on prints what was saved and how to continue (the studies included)
  installInterruptHandlers();
  if (o.study !== 'reference') {
    const whole = (flag: string, v: string | undefined) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      return Number.isInteger(n) && n >= 1 ? n : fail(`${flag} must be a positive integer, got "${v}"`);
    };
    const epochs = whole('--epochs', o.epochs), limit = whole('--limit', o.limit);
    // the other studies run no Metropolis-within-Gibbs: the flag would be silently ignored there
    if (o.mwgIterations !== undefined && o.study !== 'student-t-cnn') fail(`--mwg-iterations applies to the reference and student-t-cnn studies, not --study ${o.study}`);
    const log = (l: string) => console.log(l);
    // each study's own options are checked before the job folder is touched
    const sets = o.study === 'covariance' && o.sets !== undefined ? setList(o.sets) : undefined;
    const runStudy = o.study === 'covariance'
      ? async (common: StudyOptions) => (await import('../studies/covariance.ts')).covarianceStudy({ ...common, sets }, log)
      : o.study === 'latent-size'
        ? async (common: StudyOptions) => (await import('../studies/latent_size.ts')).latentSizeStudy({ ...common, latents: o.latents }, log)
        : o.study === 'tables'
          ? await tables()
          : await studentT();
    checkJobTarget(o.out, study, jobOptions, o.resume);
    const job = Job.open(o.out, study, jobOptions, o.resume, process.argv.slice(2));
    const path = await runJob(job, () => runStudy({ out: o.out, seeds: o.seeds, epochs, limit, testLimit: o.testLimit, mwgIterations: o.mwgIterations, job }));
    console.log(`\nreport: ${path}`);
    return;
  }
  const models = [{ model: 'gaussian', nu: 21 }, ...o.nu.map((nu) => ({ model: 't', nu }))];
  const trainArgs = (m: { model: string; nu: number }, seed: number, preset?: typeof SOFTWARE_PRESET): string[] => {
    const name = m.model === 't' ? `t-nu${m.nu}${o.multivariate ? '-mv' : ''}` : 'gaussian';
    const args = ['--model', m.model, '--nu', String(m.nu), '--seed', String(seed), '--out', join(o.out, `${name}-seed${seed}`)];
    if (m.model === 't' && o.multivariate) args.push('--multivariate');
    if (o.epochs) args.push('--epochs', o.epochs);
    if (o.limit) args.push('--limit', o.limit);
    if (o.data) args.push('--data', o.data);
    if (o.split) args.push('--split', o.split);
    if (o.hidden) args.push('--hidden', o.hidden);
    if (o.latent) args.push('--latent', o.latent);
    if (preset) args.push(...presetArgs(preset, o));
    return args;
  };
  // every run's options are checked before the adapter probe starts a browser
  const maxSeed = o.seeds ?? Math.max(SOFTWARE_SEEDS, GPU_SEEDS);
  for (const m of models) {
    // what needs no device: the 65,535-workgroup dispatch rule (buffer sizes depend on the device)
    for (const args of [trainArgs(m, maxSeed), trainArgs(m, maxSeed, SOFTWARE_PRESET)]) {
      const t = parseTrainArgs(args);
      checkDispatchFit(t.shape, t.batch);
    }
  }
  checkJobTarget(o.out, study, jobOptions, o.resume);
  const job = Job.open(o.out, study, jobOptions, o.resume, process.argv.slice(2));
  // the reference study as a job: every model trained (or reused), evaluated (or reused), reported
  await runJob(job, async () => {
    const adapter = await probeAdapter();
    const preset = adapter.isSoftware && !o.reference ? SOFTWARE_PRESET : undefined;
    if (preset) console.log(`software adapter: ${describePreset(preset)} (--reference for the reference settings)`);
    const seeds = o.seeds ?? (adapter.isSoftware ? SOFTWARE_SEEDS : GPU_SEEDS);
    if (adapter.isSoftware && o.seeds === undefined) console.log(`software adapter: ${seeds} seeds (set --seeds to choose)`);
    const planned: { m: (typeof models)[number]; seed: number; args: string[] }[] = [];
    for (let seed = 1; seed <= seeds; seed++) for (const m of models) planned.push({ m, seed, args: trainArgs(m, seed, preset) });
    const runDirs = planned.map((p) => parseTrainArgs(p.args).out);
    job.plan(runDirs);
    for (const { m, seed, args } of planned) {
      const out = parseTrainArgs(args).out;
      console.log(`\n== seed ${seed}/${seeds}: training ${m.model === 't' ? `t-prior VAE (nu=${m.nu})` : 'Gaussian VAE'} -> ${out}`);
      // the preset's sizes are chosen ones: no software scale-down (limit undefined = all images)
      const { history, epochs } = await job.train(args, { log: (l) => console.log(l) }, (opts) => { if (preset) opts.explicit.limit = true; });
      console.log(history.length ? `final: ${formatEpoch(history[history.length - 1], epochs)}` : 'no epochs trained');
    }
    console.log('\n== evaluating');
    const e = await evaluateRuns(runDirs, { testLimit: o.testLimit, draws: PROTOCOL.draws, gibbsRounds: PROTOCOL.gibbsRounds, maskSeed: PROTOCOL.maskSeed, samples: PROTOCOL.samples, mwgIterations: o.mwgIterations }, (l) => console.log(l), { cache: runFolderEvalCache, evaluated: (d) => job.evaluated(d) });
    // the reference's columns only beside models it measured: its MNIST (the default data; another
    // --data folder may hold anything) and its 784-400-128-10 Bernoulli MLPs (not --hidden/--latent)
    const reference = e.runs.every((r) => measuredByReference(r.run.config, o.data === undefined ? 'mnist' : 'user data'));
    if (!reference) console.log('the reference did not measure these models (other sizes or data): its columns are left out');
    const table = aggregateTable(groupByModel(e.runs), e.maskNames, { reference });
    const verdicts = verdictSentences(table.tally);
    console.log('\n== writing the report');
    const firstSeed = e.runs.filter((r) => r.run.config.seed === 1);
    // the curves are drawn by uPlot in headless Chromium; without a browser (a GPU server) the
    // report goes without the picture and points at the numbers, rather than failing at the end.
    // One epoch per model (the software preset) is one point per curve: the Training table holds
    // it, and starting Chromium and Vite to draw it took about 6 CPU-seconds
    const curves = firstSeed.some((r) => r.run.history.length >= 2);
    const lossCurvesPng = curves && hasChromium()
      ? await (await import('../report/loss_curves.ts')).renderLossCurves(firstSeed.map((r) => ({ name: `${r.run.name}, seed 1`, history: r.run.history })))
      : undefined;
    const epochs = e.runs[0].run.epoch;
    const path = writeReport(o.out, e, {
      reference,
      lossCurvesPng,
      summary: table.markdown,
      verdicts,
      imageRuns: firstSeed,
      notes: [
        ...(preset ? [`settings: ${describePreset(preset)}`] : []),
        `each model trained ${epochs} epoch${epochs === 1 ? '' : 's'} (reference: 300) for seeds 1..${seeds}; scores are mean ± sd over seeds`,
        `adapter: ${adapter.vendor} ${adapter.architecture}${adapter.isSoftware ? (preset ? ' (software)' : ' (software: sizes scaled down, see each run\'s config.json)') : ''}`,
        `run folders: ${runDirs.join(', ')}`,
        ...(lossCurvesPng ? [] : [curves
          ? 'no Chromium here to draw the loss curves: each run folder\'s history.csv holds them'
          : 'no loss curves: each model trained one epoch, whose losses are in the Training table']),
        ...(adapter.isSoftware
          ? [preset
              ? `on a software adapter the models see ${e.runs[0].run.history.at(-1)?.step ?? '?'} Adam steps against the reference's ~33,000 SGD steps: usable models, but not the reference's training, so the comparison with the reference's numbers says little about which prior wins`
              : 'on a software adapter the models see a few hundred SGD steps at most, against the reference\'s ~33,000: they are far from converged, so this table checks the pipeline and says little about which prior wins']
          : []),
      ],
    });
    console.log(`\n${table.markdown}\n\n${verdicts.join('\n')}\n\nreport: ${path}`);
  });
}, { defaultRuntime: fastestRuntime });
