// Host page of the imputation playground for its page test (test/playground_page.test.ts): trains
// two tiny VAEs (Gaussian and t prior) in the page on the MNIST subset the test serves as blobs,
// hands them and the test images to the playground, and exposes its state. The sizes come from the
// test so that it takes seconds on SwiftShader.
import { fail } from '../../src/errors.ts';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import { exposeApi, startPage } from '../../src/page/api.ts';
import { errorText } from '../../src/page/app_session.ts';
import { createPlayground, type Playground, type PlaygroundModel } from '../../src/page/playground/playground.ts';
import { createTrainer, type Trainer } from '../../src/train/trainer.ts';

export interface HostSetup {
  /** blob names of u8 pixels: train, valid, test (D = 784 each) */
  counts: { train: number; valid: number; test: number };
  hidden: number[];
  latent: number;
  batch: number;
  lr: number;
  epochs: number;
  nu: number;
}

async function blob(name: string): Promise<Uint8Array> {
  const res = await fetch(`/__tvae/blob/${name}`);
  if (!res.ok) fail(`the host page could not fetch ${name} (${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}

const started = await startPage();
if (started) {
  const { ctx } = started;
  let pg: Playground | undefined;
  let trained: { label: string; config: VaeConfig; trainer: Trainer }[] = [];
  const D = 784;

  const models = async (): Promise<PlaygroundModel[]> =>
    Promise.all(trained.map(async (t) => ({ label: t.label, config: t.config, params: (await t.trainer.exportState()).params })));

  exposeApi({
    async setup(s: HostSetup) {
      const [train, valid, test] = await Promise.all(['train', 'valid', 'test'].map(blob));
      const t0 = performance.now();
      const base = { shape: { encoder: [D, ...s.hidden], latent: s.latent, decoder: [...s.hidden].reverse().concat(D) }, batch: s.batch, optimizer: { kind: 'adam' as const, lr: s.lr }, seed: 1 };
      const configs: [string, VaeConfig][] = [
        ['Gaussian', { ...base, prior: { kind: 'gaussian' } }],
        [`t prior (nu ${s.nu})`, { ...base, prior: { kind: 't', nu: s.nu } }],
      ];
      const losses: number[] = [];
      trained = [];
      for (const [label, config] of configs) {
        const trainer = createTrainer(ctx, config, { train: { pixels: train, count: s.counts.train, D }, valid: { pixels: valid, count: s.counts.valid, D } });
        let last = NaN;
        for (let e = 0; e < s.epochs; e++) last = (await trainer.runEpoch()).validLoss;
        losses.push(last);
        trained.push({ label, config, trainer });
      }
      const trainSeconds = (performance.now() - t0) / 1000;
      const pixels = Float32Array.from(test, (v) => v / 255);
      pg?.destroy();
      pg = createPlayground(document.getElementById('playground')!, ctx);
      pg.setImages({ pixels, count: s.counts.test, D });
      pg.setModels(await models());
      return { trainSeconds, validLoss: losses };
    },
    playgroundState: () => pg?.state() ?? fail('setup has not run'),
    /** one more epoch per model, then setModels again, as the app does after every epoch */
    async trainMore() {
      for (const t of trained) await t.trainer.runEpoch();
      pg!.setModels(await models());
      return pg!.state();
    },
    /** each bad input's error message (or "no error") */
    async badInputs() {
      const good = await models();
      const tryIt = (f: () => void) => {
        try {
          f();
          return 'no error';
        } catch (e) {
          return errorText(e);
        }
      };
      const p = pg!;
      const other = { ...good[1], config: { ...good[1].config, shape: { encoder: [100, 16], latent: 4, decoder: [16, 100] } } };
      return {
        notSquare: tryIt(() => p.setImages({ pixels: new Float32Array(2 * 500), count: 2, D: 500 })),
        wrongD: tryIt(() => p.setImages({ pixels: new Float32Array(2 * 400), count: 2, D: 400 })),
        wrongLength: tryIt(() => p.setImages({ pixels: new Float32Array(783), count: 1, D: 784 })),
        outOfRange: tryIt(() => p.setImages({ pixels: new Float32Array(784).fill(2), count: 1, D: 784 })),
        empty: tryIt(() => p.setModels([])),
        mismatched: tryIt(() => p.setModels([good[0], other])),
        wrongParams: tryIt(() => p.setModels([{ ...good[0], params: good[0].params.subarray(0, 100) }])),
        stateAfter: p.state(),
      };
    },
  });
}
