// The models of the page's session as the main thread sees them: each one's label, configuration,
// epoch history and what the worker sent after its last epoch (weights, reconstructions, samples).
import type { VaeConfig } from '../model/vae_gpu.ts';
import type { EpochStats } from '../train/trainer.ts';
import type { ModelEpoch, ModelSpec } from './worker/protocol.ts';

export interface ModelView {
  label: string;
  config: VaeConfig;
  history: EpochStats[];
  /** the weights after the last epoch the worker reported */
  params?: Float32Array;
  epoch: number;
  reconstructions?: Float32Array;
  samples?: Float32Array;
  sampleCount?: number;
}

/** New views, empty or from a loaded run's histories. */
export function modelViews(specs: readonly ModelSpec[], histories: readonly EpochStats[][] = []): ModelView[] {
  return specs.map((s, i) => ({ label: s.label, config: s.config, history: histories[i]?.slice() ?? [], epoch: histories[i]?.length ?? 0 }));
}

/** Takes in a model's epoch; true when every model has now reached that epoch. A loaded run's
 *  last epoch comes again with its weights: listed once. */
export function takeEpoch(models: readonly ModelView[], m: ModelEpoch): boolean {
  const mv = models[m.model];
  if (!mv) return false;
  if (m.stats.epoch === mv.history.length + 1) mv.history.push(m.stats);
  Object.assign(mv, { params: m.params, epoch: m.stats.epoch, reconstructions: m.reconstructions, samples: m.samples, sampleCount: m.sampleCount });
  return models.every((x) => x.epoch === mv.epoch);
}

/** The epochs every model has finished. */
export const epochsDone = (models: readonly ModelView[]): number => (models.length ? Math.min(...models.map((m) => m.epoch)) : 0);

/** A model as appState() reports it. */
export const modelSummary = (m: ModelView) => ({ label: m.label, config: m.config, history: m.history, epoch: m.epoch, hasSamples: m.samples !== undefined, hasReconstructions: m.reconstructions !== undefined });
