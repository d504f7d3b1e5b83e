// The README's screenshots of the page (`npm run screenshots`), taken from models trained long
// enough to draw digits: the page tests' runs are sized for speed (500 images, 3 epochs, hidden
// 32), so their reconstructions and samples are grey noise. Drives index.html as the tests do
// (openHarness, the form, real clicks) at 1280x800; not part of npm test. Writes
// docs/page-side-by-side.png and docs/page-playground.png; --limit/--epochs/--out size a trial run.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openHarness } from '../src/node/harness.ts';
import { projectRoot } from '../src/node/project_root.ts';
import type { PlaygroundState } from '../src/page/playground/playground.ts';
import { appDriver, type AppStateBase } from '../test/util/app_driver.ts';

interface AppState extends AppStateBase {
  models: { label: string; epoch: number }[];
  playgroundState?: PlaygroundState;
}

const { values: opt } = parseArgs({
  options: {
    // 10,000 images x 6 epochs: 274 s of training for both models on SwiftShader (2 cores), under 5 minutes in all
    limit: { type: 'string', default: '10000' },
    epochs: { type: 'string', default: '6' },
    out: { type: 'string', default: 'docs' },
  },
});
// the form's default network (400,128, latent 10) with Adam: the page's default SGD at lr 0.005
// needs many more epochs before the samples look like digits
const settings = {
  data: 'mnist', model: 'gaussian', compare: true, nu: '21', multivariate: false, conditional: false, posterior: 'diag',
  hidden: '400,128', latent: '10', optimizer: 'adam', lr: '0.002', batch: '100', seed: '1',
  epochs: opt.epochs, limit: opt.limit, validLimit: '500',
};
const out = resolve(process.env.INIT_CWD ?? projectRoot, opt.out);
mkdirSync(out, { recursive: true });
console.log(`settings: ${JSON.stringify(settings)}; screenshots to ${out}`);

const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(0);
const h = await openHarness('index.html', { log: (l) => console.error(l) });
try {
  const { page } = h;
  const { waitFor, fill } = appDriver<AppState>(() => h, 1000);
  await page.setViewport({ width: 1280, height: 800 });
  const ready = await waitFor('MNIST and the training worker', (s) => s.dataReady || s.status === 'error');
  if (!ready.dataReady) throw new Error(`the page did not get ready: ${ready.message}`);
  console.log(`adapter: ${h.adapter.vendor} ${h.adapter.architecture}; page ready after ${secs()} s`);

  await fill(settings);
  await page.click('#train');
  const tTrain = Date.now();
  let last = 0;
  const epochs = Number(opt.epochs);
  const s = await waitFor(`${epochs} epochs of both models`, (x) => {
    if (x.epochsDone > last) console.log(`epoch ${(last = x.epochsDone)} of ${epochs} after ${((Date.now() - tTrain) / 1000).toFixed(0)} s`);
    return x.status === 'error' || (x.dataReady && !x.running && x.epochsDone >= epochs);
  }, 30 * 60_000);
  if (s.status !== 'done') throw new Error(`training ended with ${s.status}: ${s.message ?? s.statusText}`);
  const trainSeconds = (Date.now() - tTrain) / 1000;
  for (const m of s.models) console.log(`${m.label}: epoch ${m.epoch}`);

  // the page from the top down to the sample grids: the views overrun 800 px, so clip past the viewport
  await page.evaluate(() => window.scrollTo(0, 0));
  const bottom = await page.$eval('#samples', (el) => el.getBoundingClientRect().bottom + window.scrollY);
  await page.screenshot({ path: join(out, 'page-side-by-side.png'), clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) + 16 } });

  // the playground: a protocol mask on its first test digit, filled by both models with all three imputers
  await page.$eval('#playground', (el) => el.scrollIntoView({ block: 'start' }));
  await page.click('[data-pg="random30"]');
  const pg = async () => (await h.call<AppState>('appState')).playgroundState;
  for (let p = await pg(); !(p && p.lastMask && !p.busy && p.filledVersion === p.version); p = await pg()) {
    if (p?.error) throw new Error(`playground: ${p.error}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const p = (await pg())!;
  for (const m of p.models) console.log(`playground ${p.lastMask!.kind}, ${m.label}: holes at 0 ${p.zeroMse?.toFixed(4)}, prediction ${m.mse.prediction?.toFixed(4)}, pseudo-Gibbs ${m.mse.gibbs?.toFixed(4)}, MwG ${m.mse.mwg?.toFixed(4)}`);
  await (await page.$('#playground'))!.screenshot({ path: join(out, 'page-playground.png') });
  console.log(`training took ${trainSeconds.toFixed(0)} s; all ${secs()} s; wrote page-side-by-side.png and page-playground.png`);
} finally {
  await h.close();
}
