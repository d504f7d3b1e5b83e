// The GPU worker's API: build a trainer, train epoch by epoch, export/import its state, and run
// the evaluator. Runtime-agnostic: it takes a GpuContext (any GPUDevice) and serves the headless
// Chromium page (src/page/headless.ts) and the in-process Node runtime (src/node/dawn_worker.ts)
// alike, so both run the same code.
import { tune } from '../tune/measure.ts';
import { kernelRequests } from '../tune/requests.ts';
import { describeChoices, parseForced } from '../tune/table.ts';
import { checkKernelRecord, kernelRecord, unfitRecorded, type KernelRecord } from '../tune/record.ts';
import { KERNEL_FAMILIES } from '../kernels/families.ts';
import { createTrainer, type ImageBytes, type Trainer, type TrainerState } from '../train/trainer.ts';
import { checkModelFits, type VaeConfig } from '../model/vae_gpu.ts';
import type { GpuContext } from '../gpu/context.ts';
import { fail } from '../errors.ts';
import { createEvaluator, type Evaluator } from '../eval/gpu_eval.ts';
import { createBoundEvaluator, type BoundEvaluator } from '../eval/bounds.ts';
import { imputeRows, pseudoGibbsRows } from '../tables/impute_gpu.ts';
import { mwgRows } from '../tables/impute_mwg.ts';

export interface WorkerIo {
  /** bytes the driver handed over by name ('train', 'valid') */
  blob(name: string): Promise<Uint8Array>;
  progress(done: number, total: number): void;
}

const FAMILIES = KERNEL_FAMILIES;

/** How init chooses kernels. `pinned`: a resumed run's recorded choices, forced ({} for a run
 *  from before records: every fallback); else `forced` (TVAE_KERNELS, checked), the tuning cache
 *  and the tuner. */
export interface KernelInit {
  pinned?: Record<string, string>;
  forced?: string[];
}

export interface InitResult {
  stepsPerEpoch: number;
  paramBytes: number;
  /** the one-line summary for logs */
  kernels: string;
  /** what the trainer built: the run's kernels.json */
  record: KernelRecord;
  /** recorded variants that cannot run here (their fallback runs instead) */
  warnings: string[];
}

export function createWorkerApi(ctx: GpuContext, io: WorkerIo) {
  let trainer: Trainer | undefined;
  let evaluator: Evaluator | undefined;
  let bounder: BoundEvaluator | undefined;
  const bounding = (): BoundEvaluator => bounder ?? fail('no bound evaluator: call boundsInit first');
  const evaluating = (): Evaluator => evaluator ?? fail('no evaluator: call evalInit first');
  const current = (): Trainer => trainer ?? fail('no trainer: call init first');
  return {
    async init(a: { config: VaeConfig; train: Omit<ImageBytes, 'pixels' | 'labels'>; valid: Omit<ImageBytes, 'pixels' | 'labels'>; kernels?: KernelInit }): Promise<InitResult> {
      // a conditional model's labels come as blobs of their own ('train.labels', 'valid.labels')
      const labels = async (name: string) => (a.config.classes ? io.blob(`${name}.labels`) : undefined);
      const train = { ...a.train, pixels: await io.blob('train'), labels: await labels('train') };
      const valid = { ...a.valid, pixels: await io.blob('valid'), labels: await labels('valid') };
      const table = ctx.kernels;
      const k = a.kernels ?? {};
      // a resume forces its record: checked again here, as the page may be handed one directly
      const pinned = k.pinned && checkKernelRecord({ tvaeKernels: 1, choices: k.pinned }, 'the run\'s kernels.json', FAMILIES).choices;
      table.pinned = pinned;
      if (k.forced) table.forced = parseForced(k.forced.join(','), FAMILIES);
      const warnings = pinned ? unfitRecorded(pinned, ctx.caps, FAMILIES) : [];
      // kernel variants are measured (or read from the tuning cache) before the model is built, and
      // after the model is known to fit the device (a tuning probe of a too-big layer would fail first)
      checkModelFits(ctx, a.config, a.config.iw);
      await tune(ctx, kernelRequests(a.config));
      table.used.clear(); // the record is what this trainer builds
      trainer = createTrainer(ctx, a.config, { train, valid });
      return {
        stepsPerEpoch: trainer.stepsPerEpoch, paramBytes: trainer.vae.layout.bytes, kernels: describeChoices(table),
        record: kernelRecord(ctx.caps, Object.fromEntries(table.used)),
        warnings,
      };
    },
    /** choices tuned earlier on this adapter, kept by the caller (the CLI's cache file for its
     *  headless page, whose profile is new each time); a choice made here wins. Returns the
     *  adapter key the choices are for. */
    async adoptChoices(a: { adapter: string; choices: Record<string, string> }) {
      if (a.adapter === ctx.caps.key) ctx.kernels.choices = { ...a.choices, ...ctx.kernels.choices };
      return ctx.caps.key;
    },
    /** a table model's trainer: the rows [x | mask] (count, 2D) are both its training and its
     *  validation set (imputation trains on the table it completes) */
    async tableInit(a: { config: VaeConfig; rows: Float32Array; count: number }) {
      const set = { pixels: new Uint8Array(a.rows.buffer, a.rows.byteOffset, a.rows.byteLength), count: a.count, D: a.config.shape.encoder[0], format: 'f32' as const };
      trainer = createTrainer(ctx, a.config, { train: set, valid: set });
      return { stepsPerEpoch: trainer.stepsPerEpoch, paramBytes: trainer.vae.layout.bytes };
    },
    /** single (importance-weighted mean / mode) and M multiple imputations of a table's rows */
    async tableImpute(a: { config: VaeConfig; params: Float32Array; rows: Float32Array; count: number; K: number; M: number; seed: number }) {
      return imputeRows(ctx, a.config, a.params, a.rows, a.count, a);
    },
    /** pseudo-Gibbs imputation of a table's rows, for comparison */
    async tablePseudoGibbs(a: { config: VaeConfig; params: Float32Array; rows: Float32Array; count: number; rounds: number }) {
      return pseudoGibbsRows(ctx, a.config, a.params, a.rows, a.count, a.rounds);
    },
    /** Metropolis-within-Gibbs imputation of a table's rows, for comparison */
    async tableMwg(a: { config: VaeConfig; params: Float32Array; rows: Float32Array; count: number; iterations: number }) {
      return mwgRows(ctx, a.config, a.params, a.rows, a.count, a.iterations);
    },
    async runEpoch() {
      return current().runEpoch((done, total) => io.progress(done, total));
    },
    async exportState() {
      return current().exportState();
    },
    async importState(s: TrainerState) {
      current().importState(s);
      return true;
    },
    async evalInit(a: { config: VaeConfig; params: Float32Array; batch?: number }) {
      // evaluation runs the forward kernels only, at its own batch: tuned (or cached) like training's
      checkModelFits(ctx, { ...a.config, batch: a.batch ?? 500 });
      await tune(ctx, kernelRequests({ ...a.config, batch: a.batch ?? 500 }, true));
      evaluator = createEvaluator(ctx, a.config, a.params, a.batch);
      return true;
    },
    async boundsInit(a: { config: VaeConfig; params: Float32Array; batch?: number }) {
      checkModelFits(ctx, { ...a.config, batch: a.batch ?? 500 });
      await tune(ctx, kernelRequests({ ...a.config, batch: a.batch ?? 500 }, true));
      bounder = createBoundEvaluator(ctx, a.config, a.params, a.batch);
      return true;
    },
    async bounds(a: { x: Float32Array; n: number; K: number; labels?: Uint32Array }) {
      return bounding().bounds(a.x, a.n, a.K, a.labels);
    },
    async reconstruct(a: { x: Float32Array; n: number; labels?: Uint32Array }) {
      return bounding().reconstruct(a.x, a.n, a.labels);
    },
    async generate(a: { n: number; labels?: Uint32Array }) {
      return bounding().generate(a.n, a.labels);
    },
    async encodeMeans(a: { x: Float32Array; n: number; labels?: Uint32Array }) {
      return bounding().encodeMeans(a.x, a.n, a.labels);
    },
    async decode(a: { z: Float32Array; n: number; labels?: Uint32Array }) {
      return bounding().decode(a.z, a.n, a.labels);
    },
    async evalPredict(a: { x: Float32Array; n: number; draws: number }) {
      return evaluating().predict(a.x, a.n, a.draws);
    },
    async evalSamples(a: { n: number }) {
      return evaluating().samples(a.n);
    },
    async evalPseudoGibbs(a: { x: Float32Array; mask: Uint8Array; n: number; rounds: number; draws: number }) {
      return evaluating().pseudoGibbs(a.x, a.mask, a.n, a.rounds, a.draws);
    },
    async evalMwg(a: { x: Float32Array; mask: Uint8Array; n: number; iterations: number }) {
      return evaluating().metropolisWithinGibbs(a.x, a.mask, a.n, a.iterations);
    },
  };
}

export type WorkerApi = ReturnType<typeof createWorkerApi>;
