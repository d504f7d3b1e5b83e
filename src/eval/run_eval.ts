// Evaluates trained runs on the test set through the headless page: the imputation protocol with
// masks shared by every model, plus images for the report (reconstructions, draws, samples).
import { fail } from '../errors.ts';
import { npmLine } from '../io/shell_quote.ts';
import { loadIdxFolder } from '../data/idx.ts';
import { splitDataset, subset, toFloatPixels } from '../data/mnist.ts';
import { openWorker } from '../node/worker.ts';
import { protocolMasks, PROTOCOL } from './protocol.ts';
import { loadRun, type LoadedRun } from './load_run.ts';
import { adapterKey, type EvalCache } from './eval_cache.ts';
import { repeatFirstImage, runProtocol, type ModelScores, type ProtocolImages } from './imputation.ts';
import { cpuSplit } from '../node/thread_cpu.ts';

export interface EvalOptions {
  testLimit?: number;
  draws: number;
  gibbsRounds: number;
  maskSeed: number;
  samples: number;
  /** Metropolis-within-Gibbs iterations per mask (default gibbsRounds * draws, the protocol's 150) */
  mwgIterations?: number;
}


export interface RunEvaluation {
  run: LoadedRun;
  scores: ModelScores;
  images: ProtocolImages & { samples: Float32Array; draws30: Float32Array };
}

export interface Evaluation {
  n: number;
  rows: number;
  cols: number;
  x: Float32Array;
  maskNames: string[];
  runs: RunEvaluation[];
  adapter: string;
}

/** What a kept evaluation's numbers depend on, the adapter included: the protocol is bit-for-bit
 *  reproducible on one adapter only (another one's exp, log and sums round differently, ~1e-6 in
 *  the scores), so a job resumed on another adapter (Chromium's SwiftShader after Node's lavapipe)
 *  evaluates again rather than mixing two adapters' numbers in one table. */
export function evalCacheKey(settings: Omit<EvalOptions, 'testLimit'> & { n: number; epoch: number; data: LoadedRun['data'] }, adapter: string): string {
  const { n, maskSeed, draws, gibbsRounds, samples, epoch, data, mwgIterations } = settings;
  // the default MwG length is left out of the key, so evaluations kept before it was a choice still match
  const mwg = mwgIterations === undefined || mwgIterations === gibbsRounds * draws ? {} : { mwgIterations };
  return JSON.stringify({ n, maskSeed, draws, gibbsRounds, samples, epoch, data, adapter, ...mwg });
}

/** cache: each model's result is looked up before and kept after its evaluation (a job's resume);
 *  evaluated: called once a model's result is final. */
export async function evaluateRuns(dirs: string[], o: EvalOptions, log: (l: string) => void, keep?: { cache: EvalCache; evaluated(dir: string): void }): Promise<Evaluation> {
  if (dirs.length === 0) fail('give at least one run folder (--run DIR)');
  if (!(o.draws >= 1 && Number.isInteger(o.draws))) fail(`--draws must be a positive integer, got ${o.draws}`);
  if (o.mwgIterations !== undefined && !(o.mwgIterations >= 1 && Number.isInteger(o.mwgIterations))) fail(`--mwg-iterations must be a positive integer, got ${o.mwgIterations}`);
  const runs = dirs.map(loadRun);
  for (const r of runs) {
    // the protocol masks image pixels (quarters, halves, random pixels): points have none
    if (r.data.dir.startsWith('synthetic:')) fail(`${r.dir} was trained on ${r.data.dir}, a synthetic set of 2-D points: the imputation protocol of npm run eval masks image pixels and has nothing to score there (${npmLine('kl-check', ['--run', r.dir])} checks its KL)`);
  }
  for (const r of runs.slice(1)) {
    if (r.data.dir !== runs[0].data.dir || r.data.splitSeed !== runs[0].data.splitSeed || String(r.data.sizes) !== String(runs[0].data.sizes)) {
      fail(`${r.dir} was trained on other data or another split than ${runs[0].dir}; evaluate them separately`);
    }
  }
  const folder = loadIdxFolder(runs[0].data.dir);
  const split = splitDataset(folder, { seed: runs[0].data.splitSeed, sizes: runs[0].data.sizes });
  const { rows, cols } = split.test;
  for (const r of runs) {
    if (r.config.shape.encoder[0] !== rows * cols) fail(`${r.dir} takes ${r.config.shape.encoder[0]} pixels but the data has ${rows * cols}`);
  }
  if (o.testLimit !== undefined && !(Number.isInteger(o.testLimit) && o.testLimit >= 1 && o.testLimit <= split.test.count)) {
    fail(`--test-limit must be in 1..${split.test.count}, got ${o.testLimit}`);
  }
  const h = await openWorker({ log });
  try {
    const adapter = `${h.adapter.vendor} ${h.adapter.architecture}${h.adapter.isSoftware ? ' (software)' : ''}${h.adapter.driver ? `, ${h.adapter.driver}` : ''}`;
    const adapterId = adapterKey(h.runtime, h.adapter);
    let n = o.testLimit ?? split.test.count;
    if (o.testLimit === undefined && h.adapter.isSoftware) {
      n = Math.min(n, PROTOCOL.softwareTestImages);
      log(`software adapter: evaluating on the first ${n} test images (set --test-limit to choose)`);
    }
    if (n < 1 || n > split.test.count) fail(`--test-limit must be in 1..${split.test.count}, got ${n}`);
    const x = toFloatPixels(subset(split.test, n));
    const D = rows * cols;
    const masks = protocolMasks(n, rows, cols, o.maskSeed);
    const out: RunEvaluation[] = [];
    for (const run of runs) {
      const key = evalCacheKey({ n, maskSeed: o.maskSeed, draws: o.draws, gibbsRounds: o.gibbsRounds, samples: o.samples, mwgIterations: o.mwgIterations, epoch: run.epoch, data: run.data }, adapterId);
      const hit = keep?.cache.load(run.dir, key);
      if (hit) {
        log(`reused: the evaluation of ${run.name} (${run.dir}), made before`);
        out.push({ run, ...hit });
        keep!.evaluated(run.dir);
        continue;
      }
      log(`evaluating ${run.name} (${run.dir}, epoch ${run.epoch}) on ${n} test images`);
      // a batch no larger than the set: padding rows would cost as much as real ones
      await h.call('evalInit', { config: run.config, params: run.params, batch: Math.min(n, PROTOCOL.batch) });
      // in the Node runtime the adapter's threads are this process's: CPU-seconds per part
      const meter = cpuMeter(h.runtime === 'node');
      const backend = {
        predict: (xs: Float32Array, m: number, draws: number) => meter.time('prediction', () => h.call<Float32Array>('evalPredict', { x: xs, n: m, draws })),
        pseudoGibbs: (xs: Float32Array, mask: Uint8Array, m: number, rounds: number, draws: number) =>
          meter.time('pseudo-Gibbs', () => h.call<Float32Array>('evalPseudoGibbs', { x: xs, mask, n: m, rounds, draws })),
        metropolisWithinGibbs: async (xs: Float32Array, mask: Uint8Array, m: number, iterations: number) => {
          const r = await meter.time('MwG', () => h.call<{ images: Float32Array; acceptance: number }>('evalMwg', { x: xs, mask, n: m, iterations }));
          log(`  Metropolis-within-Gibbs: ${iterations} iterations, ${(100 * r.acceptance).toFixed(1)}% of proposals accepted`);
          return r;
        },
      };
      const { scores, images } = await runProtocol(backend, x, masks, { n, rows, cols, draws: o.draws, gibbsRounds: o.gibbsRounds, mwgIterations: o.mwgIterations });
      const samples = await meter.time('images', () => h.call<Float32Array>('evalSamples', { n: o.samples }));
      const draws30 = await meter.time('images', () => h.call<Float32Array>('evalPredict', { x: repeatFirstImage(x, D, 30), n: 30, draws: 1 }));
      const spent = meter.describe();
      if (spent) log(`  evaluated ${run.name}: ${spent}`);
      out.push({ run, scores, images: { ...images, samples, draws30 } });
      if (keep) {
        keep.cache.save(run.dir, key, out[out.length - 1]);
        keep.evaluated(run.dir);
      }
    }
    return { n, rows, cols, x, maskNames: masks.map((m) => m.name), runs: out, adapter };
  } finally {
    await h.close();
  }
}

/** CPU-seconds of this process (every thread) per named part of an evaluation, and in all; off
 *  (describe() gives undefined) where the GPU work runs in another process (Chromium). */
function cpuMeter(on: boolean) {
  const total = () => cpuSplit()?.total;
  const start = on ? total() : undefined;
  const parts = new Map<string, number>();
  return {
    async time<T>(part: string, f: () => Promise<T>): Promise<T> {
      const c0 = start === undefined ? undefined : total();
      const r = await f();
      const c1 = c0 === undefined ? undefined : total();
      if (c0 !== undefined && c1 !== undefined) parts.set(part, (parts.get(part) ?? 0) + c1 - c0);
      return r;
    },
    describe(): string | undefined {
      const end = total();
      if (start === undefined || end === undefined) return undefined;
      const each = [...parts].map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
      return `${(end - start).toFixed(1)} CPU-seconds (${each}; the rest is scoring on the host)`;
    },
  };
}
