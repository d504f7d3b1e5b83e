// Reads a training run folder back: its model configuration, data settings and trained weights.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../errors.ts';
import { readCheckpoint, readJson } from '../io/run_folder.ts';
import { requireFinite } from '../io/check_tensors.ts';
import { checkHistory, checkRunConfig } from '../io/run_checks.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { modelLayout } from '../parts/model.ts';
import type { EpochStats } from '../train/trainer.ts';

export interface LoadedRun {
  dir: string;
  name: string;
  config: VaeConfig;
  /** sizes: the run's split (absent in runs from before --split: the reference's) */
  data: { dir: string; splitSeed: number; sizes?: [number, number, number] };
  params: Float32Array;
  epoch: number;
  history: EpochStats[];
}

export function loadRun(dir: string): LoadedRun {
  if (!existsSync(dir)) fail(`run folder ${dir} not found`);
  // checked for shape before anything is built from them: the folder may come from anyone
  const saved = checkRunConfig(readJson<unknown>(join(dir, 'config.json'), 'run configuration'), join(dir, 'config.json'));
  const ck = readCheckpoint(join(dir, 'checkpoint.safetensors'));
  const params = ck.tensors.params;
  if (!params) fail(`${dir}/checkpoint.safetensors holds no "params" tensor`);
  const layout = modelLayout(saved.model);
  if (params.byteLength !== layout.bytes) {
    fail(`${dir}: the checkpoint holds ${params.byteLength} bytes of weights but its architecture ${describe(saved.model)} needs ${layout.bytes}`);
  }
  requireFinite(`${dir}/checkpoint.safetensors params`, params);
  const historyPath = join(dir, 'history.json');
  const history: EpochStats[] = existsSync(historyPath) ? checkHistory(readJson<unknown>(historyPath, 'training history'), historyPath) : [];
  const prior = saved.model.prior;
  const name = prior.kind === 't' ? `t-prior VAE (nu=${prior.nu}${saved.model.multivariate ? ', multivariate' : ''})` : 'Gaussian VAE';
  return { dir, name, config: saved.model, data: saved.data, params, epoch: ck.epoch, history: history.slice(0, ck.epoch) };
}

export function describe(c: VaeConfig): string {
  return `${c.shape.encoder.join('-')}-${c.shape.latent}`;
}
