// One training session of the app: owns the trainer and its history and runs epochs in a loop
// until the target, a Stop request (honoured after the current epoch) or an error.
import { fail } from '../errors.ts';
import type { GpuContext } from '../gpu/context.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { createTrainer, type EpochStats, type ImageBytes, type Trainer } from '../train/trainer.ts';

export type Status = 'loading' | 'ready' | 'training' | 'stopping' | 'stopped' | 'done' | 'error' | 'unavailable';

export interface SessionEvents {
  status(status: Status, text: string): void;
  progress(epoch: number, stepsDone: number, steps: number): void;
  epoch(history: readonly EpochStats[]): void;
  error(message: string): void;
}

export interface Session {
  readonly trainer: Trainer | undefined;
  readonly config: VaeConfig | undefined;
  readonly history: readonly EpochStats[];
  readonly running: boolean;
  readonly target: number;
  /** a new trainer (fresh weights) trained to `epochs`; throws a TvaeError if it cannot be built */
  start(config: VaeConfig, data: { train: ImageBytes; valid: ImageBytes }, epochs: number): void;
  /** the same trainer, continued to `epochs` */
  resume(epochs: number): void;
  stop(): void;
  /** resolves when the current loop (if any) has ended */
  idle(): Promise<void>;
}

/** One line for any error: the project's own errors are already a sentence. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.name === 'TvaeError' ? e.message : `${e.name}: ${e.message}`;
  return String(e);
}

export function createSession(ctx: GpuContext, events: SessionEvents): Session {
  let trainer: Trainer | undefined;
  let config: VaeConfig | undefined;
  let history: EpochStats[] = [];
  let target = 0;
  let stopRequested = false;
  let loop: Promise<void> | undefined;

  /** Runs epochs up to the target; returns the final status, emitted once the loop has ended. */
  async function run(t: Trainer): Promise<[Status, string]> {
    events.status('training', `Training epoch ${t.epoch + 1} of ${target}`);
    try {
      while (t.epoch < target) {
        const n = t.epoch + 1;
        const stats = await t.runEpoch((done, steps) => events.progress(n, done, steps));
        history.push(stats);
        events.epoch(history);
        if (t.epoch >= target) break;
        if (stopRequested) return ['stopped', `Stopped after epoch ${t.epoch} of ${target}; Resume continues this run`];
        events.status('training', `Training epoch ${t.epoch + 1} of ${target}`);
      }
      return ['done', `Done: ${t.epoch} epochs`];
    } catch (e) {
      // the trainer restored the last good weights, so Download and Resume still work
      events.error(errorText(e));
      return ['error', `Training stopped by an error in epoch ${t.epoch + 1}`];
    }
  }

  function launch(t: Trainer): void {
    stopRequested = false;
    // run() submits the first epoch's work synchronously, so a Stop right after Train stops
    // after epoch 1; `running` is already false when the final status arrives
    loop = run(t).then(([status, text]) => {
      loop = undefined;
      events.status(status, text);
    });
  }

  return {
    get trainer() {
      return trainer;
    },
    get config() {
      return config;
    },
    get history() {
      return history;
    },
    get running() {
      return loop !== undefined;
    },
    get target() {
      return target;
    },
    start(cfg, data, epochs) {
      if (loop) fail('training is already running: stop it first');
      const t = createTrainer(ctx, cfg, data); // may throw: the previous run stays as it was
      trainer = t;
      config = cfg;
      history = [];
      target = epochs;
      events.epoch(history);
      launch(t);
    },
    resume(epochs) {
      if (loop) fail('training is already running');
      if (!trainer) fail('nothing to resume: press Train first');
      if (epochs <= trainer.epoch) fail(`the run already has ${trainer.epoch} epochs: raise Epochs to continue it`);
      target = epochs;
      launch(trainer);
    },
    stop() {
      if (!loop || !trainer) return;
      stopRequested = true;
      events.status('stopping', `Stopping after epoch ${trainer.epoch + 1}…`);
    },
    async idle() {
      await loop;
    },
  };
}
