// The typed messages between the training page (main thread) and its training worker
// (train_worker.ts), which owns the GPU device that trains. Typed arrays travel by structured
// clone (params transferred), so nothing here is JSON-encoded.
import type { AdapterDescription } from '../../gpu/device.ts';
import type { VaeConfig } from '../../model/vae_gpu.ts';
import type { EpochStats, ImageBytes, TrainerState } from '../../train/trainer.ts';
import type { KernelRecord } from '../../tune/record.ts';

/** One model of a session: the page trains one, or two side by side on the same data and seed. */
export interface ModelSpec {
  label: string;
  config: VaeConfig;
}

/** Test images the worker decodes after every epoch: reconstructions and prior samples. */
export interface ViewImages {
  /** pixels in [0, 1], count x D */
  x: Float32Array;
  count: number;
  rows: number;
  cols: number;
  labels?: Uint32Array;
}

/** A model's state to continue from (a loaded run), with the history that led to it, and the
 *  kernel variants it trained with: a loaded run's are forced (absent: a run from before records,
 *  every family's fallback); an export carries the session's. */
export interface SavedModel {
  state: TrainerState;
  history: EpochStats[];
  kernels?: KernelRecord;
}

export type ToWorker =
  | { type: 'init' }
  /** builds the trainers (replacing the session's) and, with run, trains them to `epochs` */
  | { type: 'start'; id: number; models: ModelSpec[]; data: { train: ImageBytes; valid: ImageBytes }; views?: ViewImages; epochs: number; from?: SavedModel[]; run: boolean }
  | { type: 'resume'; id: number; epochs: number }
  | { type: 'stop' }
  /** every model's state (params and optimizer moments) with its history, for a download */
  | { type: 'export'; id: number }
  /** test hook: destroys the training device, as a driver reset would lose it, at the first
   *  progress report of epoch `epoch` or later (between its training steps and its validation) */
  | { type: 'loseDevice'; epoch: number };

export type WorkerStatus = 'training' | 'stopping' | 'stopped' | 'done' | 'error' | 'loaded';

export interface GpuBytes {
  bytes: number;
  buffers: number;
}

export interface ModelEpoch {
  model: number;
  stats: EpochStats;
  /** the weights after this epoch (a copy: for the page's own views and the playground) */
  params: Float32Array;
  /** decoder outputs in [0, 1] of the view images (count x D) and of fixed prior draws */
  reconstructions?: Float32Array;
  samples?: Float32Array;
  sampleCount?: number;
}

export type FromWorker =
  | { type: 'ready'; adapter: AdapterDescription }
  | { type: 'fatal'; message: string }
  /** the answer to a request: ok, or the one message saying why not (nothing changed then) */
  | { type: 'reply'; id: number; ok: true; exported?: { models: ModelSpec[]; saved: SavedModel[] }; warnings?: string[] }
  | { type: 'reply'; id: number; ok: false; message: string }
  | { type: 'status'; status: WorkerStatus; text: string }
  | { type: 'progress'; model: number; epoch: number; done: number; steps: number }
  /** after a model's epoch, and for each model after a start without training (a loaded run) */
  | ({ type: 'epoch'; gpu: GpuBytes } & ModelEpoch)
  | { type: 'error'; message: string }
  | { type: 'deviceLost'; message: string }
  /** training goes on from each model's last finished epoch on a new device */
  | { type: 'deviceRestored'; ms: number; epochs: number[]; adapter: AdapterDescription };
