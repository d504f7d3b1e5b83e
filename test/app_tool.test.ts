// The page as a tool (issue 16), driven in headless Chromium with real clicks, file choosers and
// drops: two priors side by side in the training worker; a run downloaded, loaded back by the file
// picker and resumed to the very history of the run that was never stopped; a CLI run dropped on
// the page, resumed there, and the page's download resumed by the CLI; a device lost mid-training
// and recovered; GPU buffer bytes flat over 20 epochs; the main thread's longest task while training.
// Screenshots (1280x800) go to test-output/screens/ (git-ignored).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openHarness, type Harness } from '../src/node/harness.ts';
import { appDriver, type AppStateBase } from './util/app_driver.ts';
import { projectRoot } from '../src/node/server.ts';
import type { EpochStats } from '../src/train/trainer.ts';
import { runCli, tempDir } from './util/cli.ts';

interface ModelState { label: string; history: EpochStats[]; epoch: number; hasSamples: boolean; hasReconstructions: boolean; config: { seed: number; prior: { kind: string } } }
interface AppState extends AppStateBase {
  models: ModelState[];
  gpu: { training: { model: number; epoch: number; bytes: number; buffers: number }[]; main?: { bytes: number } };
  deviceLosses: string[];
  recoveries: { ms: number; epochs: number[] }[];
  responsiveness: { longTaskApi: boolean; longestTaskMs: number; longTasks: number; longestFrameGapMs: number; frames: number; measuredMs: number };
  loaded?: { files: string; dirs: string[]; epochs: number[] };
  playground: { label: string; epoch: number }[];
  playgroundState?: { models: { label: string }[] };
}

const SCREENS = join(projectRoot, 'test-output', 'screens');
let h: Harness | undefined;
const harness = (): Harness => h ?? assert.fail('app page not open');
const { appState, waitFor, fill } = appDriver<AppState>(harness);
const work = tempDir('app-tool');

const screenshot = (name: string) => harness().page.screenshot({ path: join(SCREENS, name) });
const idle = (s: AppState) => s.dataReady && !s.running;
/** the loss numbers of an epoch, without its wall time */
const numbers = (e: EpochStats) => ({ ...e, seconds: 0 });
const tiny = { data: 'mnist', limit: '500', validLimit: '100', batch: '100', hidden: '32', latent: '10', conditional: false, posterior: 'diag' };
/** the run of the resume and device-loss tests: a t prior with Adam, so optimizer moments matter */
const adamT = { ...tiny, model: 't', nu: '5', multivariate: false, optimizer: 'adam', lr: '0.001', seed: '7', compare: false };
let uninterrupted: EpochStats[] = [];

// SwiftShader for this file's page and CLI runs: the drag-and-drop test needs a kernel variant the
// page would not choose itself (subgroup.r32), and Chromium's lavapipe (compatibility mode) has no
// subgroups
process.env.TVAE_CHROMIUM_ADAPTER ||= 'swiftshader';

before(async () => {
  mkdirSync(SCREENS, { recursive: true });
  h = await openHarness('index.html', { log: (l) => console.error(l) });
  await h.page.setViewport({ width: 1280, height: 800 });
  const s = await waitFor('MNIST and the training worker', (x) => x.dataReady || x.status === 'error');
  assert.ok(s.dataReady, `the page did not get ready: ${s.message}`);
});

after(async () => {
  await h?.close();
});

test('side by side: a Gaussian and a t-prior VAE train in the worker on the same data and seed; overlaid curves, both reconstructions, per-epoch prior samples; the main thread stays responsive', async () => {
  const page = harness().page;
  await fill({ ...tiny, model: 'gaussian', compare: true, nu: '21', optimizer: 'adam', lr: '0.003', seed: '1', epochs: '3' });
  await page.click('#train');
  // the page scrolls and paints while the worker trains
  for (let i = 0; i < 6; i++) {
    await page.mouse.wheel({ deltaY: i % 2 ? -300 : 300 });
    await new Promise((r) => setTimeout(r, 100));
  }
  const s = await waitFor('3 epochs of both models', (x) => idle(x) && x.epochsDone >= 3);
  assert.equal(s.status, 'done', String(s.message));
  assert.deepEqual(s.models.map((m) => m.label), ['Gaussian', 't (nu=21)']);
  assert.deepEqual(s.models.map((m) => m.config.seed), [1, 1]);
  for (const m of s.models) assert.deepEqual(m.history.map((e) => e.epoch), [1, 2, 3]);
  // the priors differ, so their KL terms do: fails if one model were trained twice
  assert.notEqual(s.models[0].history[2].trainKl, s.models[1].history[2].trainKl);
  assert.ok(s.models.every((m) => m.hasSamples && m.hasReconstructions));
  // one uPlot chart, train and valid of each model overlaid
  const legend = await page.$$eval('#chart .u-legend .u-series', (r) => r.map((x) => x.textContent?.trim() ?? ''));
  assert.deepEqual(legend, ['Gaussian train', 'Gaussian valid', 't (nu=21) train', 't (nu=21) valid']);
  // test images on top, one row of reconstructions per model: 3 rows of 28 px and 2 gaps
  assert.equal(await page.$eval('#recon canvas', (c) => (c as HTMLCanvasElement).height), 3 * 28 + 2 * 2);
  const captions = await page.$$eval('#samples figcaption', (cs) => cs.map((c) => c.textContent ?? ''));
  assert.deepEqual(captions, ['Gaussian: prior samples, epoch 3', 't (nu=21): prior samples, epoch 3']);
  assert.deepEqual(s.playground.map((p) => p.epoch), [3, 3], 'every model handed to the playground after each epoch');
  assert.deepEqual(s.playgroundState?.models.map((m) => m.label), ['Gaussian', 't (nu=21)']);
  assert.equal(await page.$eval('#playground', (el) => (el as HTMLElement).hidden), false);
  const r = s.responsiveness;
  console.log(`main thread while training (${(r.measuredMs / 1000).toFixed(1)} s): longest task ${r.longestTaskMs.toFixed(0)} ms (${r.longTasks} long tasks), longest frame gap ${r.longestFrameGapMs.toFixed(0)} ms over ${r.frames} frames`);
  assert.ok(r.longTaskApi, 'Chromium has the Long Tasks API');
  assert.ok(r.frames > 5, `the page painted ${r.frames} frames while training`);
  // loose: the software adapter shares 2 cores with the tab; a frozen tab shows seconds
  assert.ok(r.longestTaskMs < 250, `longest main-thread task ${r.longestTaskMs} ms`);
  assert.ok(r.longestFrameGapMs < 500, `longest gap between frames ${r.longestFrameGapMs} ms`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot('side-by-side.png');
});

test('a run downloaded after 2 epochs loads back by the file picker and resumes to exactly the history of the run that went on', async () => {
  const page = harness().page;
  await fill({ ...adamT, epochs: '2' });
  await page.click('#train');
  let s = await waitFor('2 epochs', (x) => idle(x) && x.epochsDone >= 2);
  assert.equal(s.status, 'done', String(s.message));
  const downloads = join(work, 'downloads');
  mkdirSync(downloads, { recursive: true });
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  await page.click('#download');
  const file = join(downloads, 'tvae-run-epoch2.tar');
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(existsSync(file), `no download in ${downloads}: ${readdirSync(downloads).join(', ')}`);
  await fill({ epochs: '3' });
  await page.click('#resume');
  s = await waitFor('epoch 3', (x) => idle(x) && x.epochsDone >= 3);
  uninterrupted = s.history;
  // load the 2-epoch file back, as a user would: the file chooser behind "choose files"
  const [chooser] = await Promise.all([page.waitForFileChooser(), page.click('label.pick')]);
  await chooser.accept([file]);
  s = await waitFor('the loaded run', (x) => x.status === 'loaded' || x.message !== undefined);
  assert.equal(s.status, 'loaded', String(s.message));
  assert.deepEqual(s.loaded?.epochs, [2]);
  assert.deepEqual(s.history.map(numbers), uninterrupted.slice(0, 2).map(numbers));
  assert.equal(await page.$eval('[name="epochs"]', (el) => (el as HTMLInputElement).value), '3');
  await page.click('#resume');
  s = await waitFor('the resumed epoch 3', (x) => idle(x) && x.epochsDone >= 3);
  assert.equal(s.status, 'done', String(s.message));
  // weights, Adam's moments and the step counters came back whole: epoch 3 is the same to the bit
  assert.deepEqual(s.history.map(numbers), uninterrupted.map(numbers));
});

test('the device lost mid-training: the page says so, gets a new device and finishes with the history of the run that was not interrupted', async () => {
  assert.equal(uninterrupted.length, 3, 'needs the previous test\'s run');
  const page = harness().page;
  await fill({ ...adamT, epochs: '3' });
  await harness().call('loseDevice', { epoch: 2 });
  const t0 = Date.now();
  await page.click('#train');
  const s = await waitFor('3 epochs despite the loss', (x) => idle(x) && x.epochsDone >= 3);
  assert.equal(s.status, 'done', String(s.message));
  assert.equal(s.deviceLosses.length, 1);
  assert.match(s.deviceLosses[0], /device was lost/);
  assert.equal(s.recoveries.length, 1);
  assert.deepEqual(s.recoveries[0].epochs, [1], 'rebuilt from epoch 1, the last finished');
  console.log(`device lost in epoch 2: new device and trainer after ${s.recoveries[0].ms.toFixed(0)} ms; the run took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const note = await page.$eval('#device-note', (el) => ({ hidden: (el as HTMLElement).hidden, text: el.textContent ?? '' }));
  assert.equal(note.hidden, false);
  assert.match(note.text, /lost; a new one was ready after \d+ ms and training went on from epoch 1/);
  assert.deepEqual(s.history.map((e) => e.epoch), [1, 2, 3]);
  assert.deepEqual(s.history.map(numbers), uninterrupted.map(numbers));
  await screenshot('device-lost.png');
});

test('a CLI run loads by drag and drop and resumes in the page; the page\'s download resumes in the CLI', async () => {
  const page = harness().page;
  const flags = ['--model', 't', '--nu', '5', '--optimizer', 'adam', '--lr', '0.001', '--seed', '7', '--limit', '500', '--valid-limit', '100', '--hidden', '32', '--latent', '10', '--batch', '100', '--checkpoint-every', '1'];
  const cliRun = join(work, 'cli-run'), cliOn = join(work, 'cli-on');
  // in Chromium, as the page: its history is compared with the page's bit for bit. The CLI run
  // trains on subgroup.r32 and records it (kernels.json): the page and the CLI's resumes below match
  // it only by forcing that record, not their own choice (base in the page)
  const chromium = { runtime: 'chromium' } as const;
  process.env.TVAE_KERNELS = 'subgroup.r32';
  let r: ReturnType<typeof runCli>;
  try {
    r = runCli('src/cli/train.ts', [...flags, '--epochs', '2', '--out', cliRun], undefined, chromium);
  } finally {
    delete process.env.TVAE_KERNELS;
  }
  assert.equal(r.code, 0, r.stderr);
  const recorded = JSON.parse(readFileSync(join(cliRun, 'kernels.json'), 'utf8')) as { choices: Record<string, string> };
  assert.ok(Object.values(recorded.choices).every((v) => v === 'subgroup.r32'), JSON.stringify(recorded));
  cpSync(cliRun, cliOn, { recursive: true });
  r = runCli('src/cli/train.ts', [...flags, '--epochs', '3', '--out', cliOn, '--resume'], undefined, chromium);
  assert.equal(r.code, 0, r.stderr);
  const cliHistory = JSON.parse(readFileSync(join(cliOn, 'history.json'), 'utf8')) as EpochStats[];
  const packed = join(work, 'cli-run.tar');
  execFileSync('tar', ['-cf', packed, '-C', cliRun, '.']);
  // a file that is no run first: one message, nothing changed
  const bogus = join(work, 'notes.txt');
  writeFileSync(bogus, 'not a run');
  const dropFiles = async (files: string[]) => {
    await page.$eval('#drop', (el) => el.scrollIntoView({ block: 'center' }));
    const box = (await (await page.$('#drop'))!.boundingBox())!;
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const data = { items: [], files, dragOperationsMask: 1 };
    await page.mouse.dragEnter(at, data);
    await page.mouse.dragOver(at, data);
    await page.mouse.drop(at, data);
  };
  const before = await appState();
  await dropFiles([bogus]);
  let s = await waitFor('the refusal', (x) => x.message !== undefined);
  assert.match(s.message!, /^Cannot load notes\.txt: notes\.txt holds no tvae run/);
  assert.deepEqual(s.history, before.history, 'the run on the page is untouched');
  await screenshot('bad-file.png');
  await dropFiles([packed]);
  s = await waitFor('the CLI run', (x) => x.status === 'loaded');
  assert.equal(s.message, undefined);
  assert.deepEqual(s.history.map(numbers), cliHistory.slice(0, 2).map(numbers));
  await fill({ epochs: '3' });
  await page.click('#resume');
  s = await waitFor('epoch 3 in the page', (x) => idle(x) && x.epochsDone >= 3);
  assert.equal(s.status, 'done', String(s.message));
  // the page's worker and the CLI's headless page train with the same kernels on the same adapter
  assert.deepEqual(numbers(s.history[2]), numbers(cliHistory[2]));
  await screenshot('loaded-run.png');
  // and back: the page's download, unpacked, resumed by the CLI to epoch 4
  const tar = join(work, 'page-run.tar');
  writeFileSync(tar, await harness().call<Uint8Array>('runFile'));
  const unpacked = join(work, 'page-run');
  r = runCli('src/cli/unpack.ts', [tar, '--out', unpacked]);
  assert.equal(r.code, 0, r.stderr);
  const dir = join(unpacked, 't-nu-5');
  const resume = r.stdout.match(/continue with: npm run train -- (.*)/)?.[1]?.split(' ') ?? assert.fail(`no resume line: ${r.stdout}`);
  assert.ok(resume.includes(dir), resume.join(' '));
  r = runCli('src/cli/train.ts', resume, undefined, chromium);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const resumed = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as EpochStats[];
  assert.deepEqual(resumed.map((e) => e.epoch), [1, 2, 3, 4]);
  assert.deepEqual(resumed.slice(0, 3).map(numbers), s.history.map(numbers));
});

test('20 epochs keep the training device\'s GPU buffer bytes flat after epoch 1', async () => {
  const page = harness().page;
  await fill({ ...tiny, limit: '200', validLimit: '100', hidden: '16', model: 'gaussian', optimizer: 'sgd', lr: '0.005', compare: false, epochs: '20' });
  await page.click('#train');
  const s = await waitFor('20 epochs', (x) => idle(x) && x.epochsDone >= 20);
  assert.equal(s.status, 'done', String(s.message));
  const g = s.gpu.training;
  assert.deepEqual(g.map((x) => x.epoch), Array.from({ length: 20 }, (_, i) => i + 1));
  console.log(`GPU buffers of the training device after epochs 1..20: ${[...new Set(g.map((x) => `${x.bytes} bytes in ${x.buffers} buffers`))].join(' | ')}; views' device: ${s.gpu.main?.bytes} bytes`);
  assert.ok(g[0].bytes > 0);
  for (const x of g) assert.deepEqual([x.bytes, x.buffers], [g[0].bytes, g[0].buffers], `epoch ${x.epoch}`);
});
