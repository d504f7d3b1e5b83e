// Entry of the bench page in headless Chromium: the bench's function map (api.ts) on the page's
// device, exposed to Node (bench/run.ts).
import { exposeApi, startPage } from '../../src/page/api.ts';
import { createBenchApi } from './api.ts';

const started = await startPage();
// ?tf=0: the bench without its TF.js peer (npm run bench -- --no-tf)
const tf = new URLSearchParams(location.search).get('tf') !== '0';
if (started) exposeApi(await createBenchApi(started.ctx, started.adapter, navigator.userAgent, { tf }));
