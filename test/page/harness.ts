// Entry of the test harness page: one device, every probe the Node tests call.
import { exposeApi, startPage } from '../../src/page/api.ts';
import { convProbes } from './conv_probes.ts';
import { kernelProbes } from './kernel_probes.ts';
import { modelProbes } from './model_probes.ts';
import { mwgProbes } from './mwg_probes.ts';
import { partsProbes } from './parts_probes.ts';

const started = await startPage();
if (started) exposeApi({ ...kernelProbes(started.ctx), ...modelProbes(started.ctx), ...mwgProbes(started.ctx), ...partsProbes(started.ctx), ...convProbes(started.ctx) });
