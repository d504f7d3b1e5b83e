// Entry of the bench page in headless Chromium: the bench's function map (api.ts) on the page's
// device, exposed to Node (bench/run.ts).
import { exposeApi, startPage } from '../../src/page/api.ts';
import { createBenchApi } from './api.ts';

const started = await startPage();
if (started) exposeApi(await createBenchApi(started.ctx, started.adapter, navigator.userAgent));
