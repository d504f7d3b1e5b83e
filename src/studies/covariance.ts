// The covariance study (`npm start -- --study covariance`): diagonal vs full-covariance Gaussian
// posteriors on the five synthetic 2-D sets of the lecture deck, Gaussian decoder with a learned
// variance, encoder/decoder [128, 128], latent 2, batch 32, Adam 1e-3 (the deck names no
// optimizer), the deck's sizes and epochs on a GPU and scaled down on a software adapter. Per set
// and posterior, over seeds: test negative ELBO and importance-weighted -log p(x) (K draws),
// scatter plots of the data, of generated samples and of test reconstructions, loss curves, and a
// Welch test of full vs diagonal on -log p(x), Holm-corrected across the sets (covariance_finding.ts).
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { loadTrainingData } from '../data/source.ts';
import { SYNTHETIC, SYNTHETIC_NAMES, type SyntheticName } from '../data/synthetic.ts';
import { summarize, VERDICT_LEVEL, type Summary } from '../eval/aggregate.ts';
import { covarianceFinding, setVerdicts } from './covariance_finding.ts';
import { loadRun, type LoadedRun } from '../eval/load_run.ts';
import { writeFileAtomic } from '../io/run_folder.ts';
import { adapterKey, loadKept, saveKept } from '../eval/eval_cache.ts';
import { trainStudyModel, type StudyOptions } from './options.ts';
import { unpackExtra } from '../model/param_layout.ts';
import { openWorker, probeAdapter } from '../node/worker.ts';
import { modelLayout } from '../parts/model.ts';
import { openChartPage } from '../report/chart_page.ts';
import { renderLossCurves } from '../report/loss_curves.ts';
import { renderScatterRows, type ScatterRow } from '../report/scatter_plots.ts';
import { createRng } from '../rng.ts';
import { formatEpoch } from '../train/run.ts';

export interface CovarianceStudyOptions extends StudyOptions {
  sets?: SyntheticName[];
  /** importance samples per test point */
  K?: number;
  /** generated samples per model */
  samples?: number;
}

export const SOFTWARE_COVARIANCE = { epochs: 10, limit: 4000, validLimit: 1000, testLimit: 2000, seeds: 2 };
const POSTERIORS = ['diag', 'full'] as const;
const COLORS = { data: '#888888', diag: '#1f5fbf', full: '#c0392b' };

interface ModelResult {
  set: SyntheticName;
  posterior: 'diag' | 'full';
  seed: number;
  run: LoadedRun;
  nelbo: number;
  iw: number;
  samples?: Float32Array;
  recon?: Float32Array;
}

export async function covarianceStudy(o: CovarianceStudyOptions, log: (l: string) => void): Promise<string> {
  const adapter = await probeAdapter();
  const soft = adapter.isSoftware;
  const seeds = o.seeds ?? (soft ? SOFTWARE_COVARIANCE.seeds : 3);
  const sets = o.sets ?? [...SYNTHETIC_NAMES];
  const K = o.K ?? 100, nSamples = o.samples ?? 10000;
  if (soft) log(`software adapter: the covariance study is scaled down (${o.limit ?? SOFTWARE_COVARIANCE.limit} training points, ${o.epochs ?? SOFTWARE_COVARIANCE.epochs} epochs, ${o.testLimit ?? SOFTWARE_COVARIANCE.testLimit} test points, ${seeds} seeds; the deck: 20,000-40,000 points, 20-400 epochs)`);
  mkdirSync(o.out, { recursive: true });
  const planned: { set: SyntheticName; posterior: 'diag' | 'full'; seed: number; dir: string; epochs: number; limit: number; args: string[] }[] = [];
  for (const set of sets) {
    for (let seed = 1; seed <= seeds; seed++) {
      for (const posterior of POSTERIORS) {
        const dir = join(o.out, `${set}-${posterior}-seed${seed}`);
        const epochs = o.epochs ?? (soft ? SOFTWARE_COVARIANCE.epochs : SYNTHETIC[set].epochs);
        const limit = o.limit ?? (soft ? SOFTWARE_COVARIANCE.limit : SYNTHETIC[set].train);
        const args = ['--data', `synthetic:${set}`, '--posterior', posterior, '--seed', String(seed), '--out', dir, '--epochs', String(epochs), '--limit', String(limit)];
        if (soft) args.push('--valid-limit', String(SOFTWARE_COVARIANCE.validLimit));
        planned.push({ set, posterior, seed, dir, epochs, limit, args });
      }
    }
  }
  o.job?.plan(planned.map((p) => p.dir));
  const results: ModelResult[] = [];
  for (const { set, posterior, seed, dir, epochs, limit, args } of planned) {
    log(`\n== ${set}, ${posterior} posterior, seed ${seed}/${seeds}: ${epochs} epochs on ${limit} points -> ${dir}`);
    const history = await trainStudyModel(o, args, log);
    if (history.length) log(`final: ${formatEpoch(history[history.length - 1], epochs)}`);
    results.push({ set, posterior, seed, run: loadRun(dir), nelbo: NaN, iw: NaN });
  }

  log('\n== evaluating: test negative ELBO, importance-weighted -log p(x), samples, reconstructions');
  const w = await openWorker({ log });
  const tests = new Map<SyntheticName, Float32Array>();
  try {
    for (const r of results) {
      let x = tests.get(r.set);
      if (!x) {
        const test = loadTrainingData(`synthetic:${r.set}`, r.run.data.splitSeed).test;
        const n = Math.min(test.count, o.testLimit ?? (soft ? SOFTWARE_COVARIANCE.testLimit : test.count));
        x = test.values(n);
        tests.set(r.set, x);
      }
      const n = x.length / 2;
      // a resumed job reuses what an earlier attempt evaluated (same model, test points and draws)
      const key = JSON.stringify({ n, K, nSamples, epoch: r.run.epoch, seed: r.seed, adapter: adapterKey(w.runtime, w.adapter) });
      const kept = o.job ? loadKept(r.run.dir, 'study_eval', key) : undefined;
      if (kept && (r.seed !== 1 || (kept.tensors.recon && kept.tensors.samples))) {
        ({ nelbo: r.nelbo, iw: r.iw } = kept.numbers);
        if (r.seed === 1) ({ recon: r.recon, samples: r.samples } = kept.tensors);
        log(`reused: the evaluation of ${r.set} ${r.posterior} seed ${r.seed}, made before`);
        o.job!.evaluated(r.run.dir);
        continue;
      }
      await w.call('boundsInit', { config: r.run.config, params: r.run.params });
      const b = await w.call<{ nelbo: Float64Array; iw: Float64Array }>('bounds', { x, n, K });
      r.nelbo = mean(b.nelbo);
      r.iw = mean(b.iw);
      log(`${r.set} ${r.posterior} seed ${r.seed}: test NELBO ${r.nelbo.toFixed(4)}, -log p(x) (IW, K=${K}) ${r.iw.toFixed(4)}`);
      if (r.seed === 1) {
        r.recon = await w.call<Float32Array>('reconstruct', { x, n });
        r.samples = withDecoderNoise(r.run, await w.call<Float32Array>('generate', { n: nSamples }));
      }
      if (o.job) {
        saveKept(r.run.dir, 'study_eval', key, { nelbo: r.nelbo, iw: r.iw }, r.seed === 1 ? { recon: r.recon!, samples: r.samples! } : {});
        o.job.evaluated(r.run.dir);
      }
    }
  } finally {
    await w.close();
  }
  const scale = soft ? `software: scaled down to ${o.limit ?? SOFTWARE_COVARIANCE.limit} training points, ${o.epochs ?? SOFTWARE_COVARIANCE.epochs} epochs and ${o.testLimit ?? SOFTWARE_COVARIANCE.testLimit} test points; the deck trains 20-400 epochs on 20,000-40,000 points, so these models are far from converged` : undefined;
  return writeCovarianceReport(o.out, results, { sets, seeds, K, scale, adapter: `${adapter.vendor} ${adapter.architecture}`, tests });
}

const mean = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / v.length;

/** x = decoder mean + s * N(0, I), s from the learned log-variances: samples of p(x), not of E[x|z]. */
function withDecoderNoise(run: LoadedRun, means: Float32Array): Float32Array {
  const lv = unpackExtra(modelLayout(run.config), run.params);
  const lik = run.config.likelihood;
  const fixed = lik?.kind === 'gaussian' && lik.variance !== 'learned' ? Math.log(lik.variance) : 0;
  const r = createRng(run.config.seed * 7 + 3);
  return means.map((m, i) => m + Math.exp(0.5 * (lv.length ? lv[i % lv.length] : fixed)) * r.normal());
}

const fmt = (s: Summary) => (s.n > 1 ? `${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}` : s.mean.toFixed(3));

async function writeCovarianceReport(
  out: string, results: ModelResult[],
  ctx: { sets: SyntheticName[]; seeds: number; K: number; scale?: string; adapter: string; tests: Map<SyntheticName, Float32Array> },
): Promise<string> {
  const lines = ['| data set | NELBO diag | NELBO full | -log p(x) diag | -log p(x) full | gain of full (diag - full) | full vs diag (Welch, -log p(x)) |', '|---|---|---|---|---|---|---|'];
  const pick = (set: SyntheticName, p: 'diag' | 'full', k: 'nelbo' | 'iw') => summarize(results.filter((r) => r.set === set && r.posterior === p).map((r) => r[k]));
  // the verdicts are Holm-corrected across the sets, and the finding follows them, not the gains' order
  const verdicts = setVerdicts(ctx.sets.map((set) => ({ set, diag: pick(set, 'diag', 'iw'), full: pick(set, 'full', 'iw') })));
  ctx.sets.forEach((set, i) => {
    const [nd, nf, id, ifu] = [pick(set, 'diag', 'nelbo'), pick(set, 'full', 'nelbo'), pick(set, 'diag', 'iw'), pick(set, 'full', 'iw')];
    lines.push(`| ${set} | ${fmt(nd)} | ${fmt(nf)} | ${fmt(id)} | ${fmt(ifu)} | ${verdicts[i].gain.toFixed(3)} | ${verdicts[i].text} |`);
  });
  const finding = ctx.sets.length ? covarianceFinding(verdicts, ctx.seeds) : '';
  const rows: ScatterRow[] = ctx.sets.map((set) => {
    const data = ctx.tests.get(set)!;
    const of = (p: 'diag' | 'full') => results.find((r) => r.set === set && r.posterior === p && r.seed === 1)!;
    return {
      title: set,
      panels: [
        { title: 'test data', series: [{ label: 'data', points: data, color: COLORS.data }] },
        { title: 'generated, diagonal', series: [{ label: 'diag', points: of('diag').samples!, color: COLORS.diag }] },
        { title: 'generated, full', series: [{ label: 'full', points: of('full').samples!, color: COLORS.full }] },
        { title: 'reconstructions, diagonal', series: [{ label: 'data', points: data, color: COLORS.data }, { label: 'diag', points: of('diag').recon!, color: COLORS.diag }] },
        { title: 'reconstructions, full', series: [{ label: 'data', points: data, color: COLORS.data }, { label: 'full', points: of('full').recon!, color: COLORS.full }] },
      ],
    };
  });
  const curves: string[] = [];
  // one chart page for the scatter plots and every set's loss curves: a Chromium start, not 1 + sets
  const charts = await openChartPage();
  try {
    writeFileAtomic(join(out, 'scatter.png'), await renderScatterRows(rows, charts));
    for (const set of ctx.sets) {
      const runs = results.filter((r) => r.set === set && r.seed === 1).map((r) => ({ name: `${set}, ${r.posterior}, seed 1`, history: r.run.history }));
      writeFileAtomic(join(out, `loss_${set}.png`), await renderLossCurves(runs, charts));
      curves.push(`![loss curves ${set}](loss_${set}.png)`);
    }
  } finally {
    await charts.close();
  }
  const md = [
    '# Diagonal vs full-covariance posterior on five synthetic 2-D sets',
    '',
    `- Gaussian decoder with a learned log-variance per output, encoder and decoder [128, 128], latent 2, batch 32, Adam lr 1e-3 (the deck names no optimizer), ${ctx.seeds} seed${ctx.seeds > 1 ? 's' : ''} per model; scores are test-set means, mean ± sd over seeds`,
    `- -log p(x): importance-weighted estimate with K = ${ctx.K} draws from q(z|x); NELBO: the mean over the same draws of -log p(x|z) + log q(z|x) - log p(z)`,
    `- adapter: ${ctx.adapter}${ctx.scale ? ` (${ctx.scale})` : ''}`,
    `- verdicts: Welch's t-test over seeds, two-sided at the ${VERDICT_LEVEL * 100}% level, Holm-corrected across the sets (raw and Holm p-values in the table)`,
    '',
    lines.join('\n'),
    '',
    finding,
    '',
    '## Scatter plots (seed 1)',
    '',
    'Generated samples are draws of p(x) (decoder mean plus its learned noise); reconstructions are decoder means at one z ~ q(z|x), over the test data in grey.',
    '',
    '![scatter plots](scatter.png)',
    '',
    '## Loss curves (seed 1)',
    '',
    ...curves,
    '',
    '## Run folders',
    '',
    ...results.map((r) => `- ${r.run.dir}`),
    '',
  ].join('\n');
  const path = join(out, 'report.md');
  writeFileAtomic(path, md);
  writeFileAtomic(join(out, 'results.json'), JSON.stringify(results.map(({ set, posterior, seed, nelbo, iw, run }) => ({ set, posterior, seed, nelbo, iw, dir: run.dir })), null, 2));
  return path;
}
