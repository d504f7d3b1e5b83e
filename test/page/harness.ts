// Entry of the test harness page: one device, every probe the Node tests call.
import { exposeApi, startPage } from '../../src/page/api.ts';
import { allProbes } from './all_probes.ts';

const started = await startPage();
if (started) exposeApi(allProbes(started.ctx));
