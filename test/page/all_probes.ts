// Every probe the kernel and model tests call, on one kernel context: served by the harness page
// in Chromium (./harness.ts) and in-process by the Node runtime (test/util/node_harness.ts).
import type { GpuContext } from '../../src/gpu/context.ts';
import { kernelProbes } from './kernel_probes.ts';
import { modelProbes } from './model_probes.ts';
import { mwgProbes } from './mwg_probes.ts';
import { partsProbes } from './parts_probes.ts';
import { convProbes } from './conv_probes.ts';
import { cnnProbes } from './cnn_probes.ts';
import { tuneProbes } from './tune_probes.ts';
import { iwProbes } from './iw_probes.ts';
import { packProbes } from './pack_probes.ts';

export function allProbes(ctx: GpuContext) {
  return { ...kernelProbes(ctx), ...modelProbes(ctx), ...mwgProbes(ctx), ...partsProbes(ctx), ...convProbes(ctx), ...cnnProbes(ctx), ...tuneProbes(ctx), ...iwProbes(ctx), ...packProbes(ctx) };
}
