// The page the CLI drives in headless Chromium: it fetches the data Node serves, builds a
// trainer, and trains epoch by epoch on Node's request, reporting progress as it goes.
import { createTrainer, type ImageBytes, type Trainer, type TrainerState } from '../train/trainer.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { fail } from '../errors.ts';
import { exposeApi, startPage } from './api.ts';
import { createEvaluator, type Evaluator } from '../eval/gpu_eval.ts';

declare global {
  interface Window {
    tvaeProgress?: (done: number, total: number) => void;
  }
}

async function fetchBlob(name: string): Promise<Uint8Array> {
  const res = await fetch(`/__tvae/blob/${encodeURIComponent(name)}`);
  if (!res.ok) fail(`the page could not fetch ${name} from the trainer (${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

const started = await startPage();
if (started) {
  const { ctx } = started;
  let trainer: Trainer | undefined;
  let evaluator: Evaluator | undefined;
  const evaluating = (): Evaluator => evaluator ?? fail('no evaluator: call evalInit first');
  const current = (): Trainer => trainer ?? fail('no trainer: call init first');
  exposeApi({
    async init(a: { config: VaeConfig; train: Omit<ImageBytes, 'pixels'>; valid: Omit<ImageBytes, 'pixels'> }) {
      const train = { ...a.train, pixels: await fetchBlob('train') };
      const valid = { ...a.valid, pixels: await fetchBlob('valid') };
      trainer = createTrainer(ctx, a.config, { train, valid });
      return { stepsPerEpoch: trainer.stepsPerEpoch, paramBytes: trainer.vae.layout.bytes };
    },
    async runEpoch() {
      return current().runEpoch((done, total) => window.tvaeProgress?.(done, total));
    },
    async exportState() {
      return current().exportState();
    },
    async evalInit(a: { config: VaeConfig; params: Float32Array; batch?: number }) {
      evaluator = createEvaluator(ctx, a.config, a.params, a.batch);
      return true;
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
    async importState(s: TrainerState) {
      current().importState(s);
      return true;
    },
  });
}
