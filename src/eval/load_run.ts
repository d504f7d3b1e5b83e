// Reads a training run folder back: its model configuration, data settings and trained weights.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemRootOf } from '../io/out_target.ts';
import { fail } from '../errors.ts';
import { readCheckpoint, readJson } from '../io/run_folder.ts';
import { requireFinite } from '../io/check_tensors.ts';
import { checkHistory, checkRunConfig } from '../io/run_checks.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { modelLayout } from '../parts/model.ts';
import type { EpochStats } from '../train/trainer.ts';
import { KERNEL_FAMILIES } from '../kernels/families.ts';
import { checkKernelRecord, KERNEL_RECORD_FILE, type KernelRecord } from '../tune/record.ts';

export interface LoadedRun {
  dir: string;
  name: string;
  config: VaeConfig;
  /** sizes: the run's split (absent in runs from before --split: the reference's) */
  data: { dir: string; splitSeed: number; sizes?: [number, number, number] };
  params: Float32Array;
  epoch: number;
  history: EpochStats[];
  /** the kernel variants it trained with (kernels.json; absent in runs from before records) */
  kernels?: KernelRecord;
}

export function loadRun(dir: string): LoadedRun {
  if (!existsSync(dir)) fail(`run folder ${dir} not found`);
  // checked for shape before anything is built from them: the folder may come from anyone
  const saved = checkRunConfig(readJson<unknown>(join(dir, 'config.json'), 'run configuration'), join(dir, 'config.json'));
  checkDataFolder(saved.data.dir, join(dir, 'config.json'));
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
  const kernelPath = join(dir, KERNEL_RECORD_FILE);
  const kernels = existsSync(kernelPath) ? checkKernelRecord(readJson<unknown>(kernelPath, 'kernel record'), kernelPath, KERNEL_FAMILIES) : undefined;
  const prior = saved.model.prior;
  const name = prior.kind === 't' ? `t-prior VAE (nu=${prior.nu}${saved.model.multivariate ? ', multivariate' : ''})` : 'Gaussian VAE';
  return { dir, name, config: saved.model, data: saved.data, params, epoch: ck.epoch, history: history.slice(0, ck.epoch), ...(kernels ? { kernels } : {}) };
}

/** config.json's data.dir is read from (eval, kl-check, the studies): a synthetic:NAME, or a
 *  folder that is not under /proc, /sys or /dev (where a read can block or reach a device) and is
 *  a directory. A missing folder is the data loader's own "not found". One line naming the value. */
function checkDataFolder(dataDir: string, file: string): void {
  if (dataDir.startsWith('synthetic:')) return;
  const abs = resolve(dataDir);
  let system: string | undefined;
  try {
    system = systemRootOf(abs);
  } catch (e) {
    fail(`${file}: data.dir ${JSON.stringify(dataDir)} cannot be resolved: ${(e as Error).message}`);
  }
  if (system) fail(`${file}: data.dir ${JSON.stringify(dataDir)} is under ${system}, a system folder, not a data folder: refused`);
  if (existsSync(abs) && !statSync(abs).isDirectory()) fail(`${file}: data.dir ${JSON.stringify(dataDir)} is not a folder (a data folder of IDX files is expected)`);
}

export function describe(c: VaeConfig): string {
  return `${c.shape.encoder.join('-')}-${c.shape.latent}`;
}
