// The training page as a tool, opened once per test file (app_tool.test.ts, app_drop.test.ts):
// its state's views, the driver, a screenshot folder, and the small runs the tests train. Two files,
// not one, so npm test can run the one that times the main thread with nothing beside it and the
// other (three CLI runs in Chromium) next to other work (test/util/npm_test.ts).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { openHarness, type Harness } from '../../src/node/harness.ts';
import { projectRoot } from '../../src/node/server.ts';
import type { EpochStats } from '../../src/train/trainer.ts';
import { appDriver, type AppDriver, type AppStateBase } from './app_driver.ts';
import { tempDir } from './cli.ts';

interface ModelState { label: string; history: EpochStats[]; epoch: number; hasSamples: boolean; hasReconstructions: boolean; config: { seed: number; prior: { kind: string } } }
export interface AppState extends AppStateBase {
  models: ModelState[];
  gpu: { training: { model: number; epoch: number; bytes: number; buffers: number }[]; main?: { bytes: number } };
  deviceLosses: string[];
  recoveries: { ms: number; epochs: number[] }[];
  responsiveness: { longTaskApi: boolean; longestTaskMs: number; longTasks: number; longestFrameGapMs: number; frames: number; measuredMs: number };
  loaded?: { files: string; dirs: string[]; epochs: number[] };
  playground: { label: string; epoch: number }[];
  playgroundState?: { models: { label: string }[] };
}

export const idle = (s: AppState): boolean => s.dataReady && !s.running;
/** the loss numbers of an epoch, without its wall time */
export const numbers = (e: EpochStats): EpochStats => ({ ...e, seconds: 0 });
export const tiny = { data: 'mnist', limit: '500', validLimit: '100', batch: '100', hidden: '32', latent: '10', conditional: false, posterior: 'diag' };
/** the run of the resume and device-loss tests: a t prior with Adam, so optimizer moments matter */
export const adamT = { ...tiny, model: 't', nu: '5', multivariate: false, optimizer: 'adam', lr: '0.001', seed: '7', compare: false };

export interface AppToolPage extends AppDriver<AppState> {
  harness(): Harness;
  /** a 1280x800 screenshot into test-output/screens/ (git-ignored) */
  screenshot(name: string): Promise<unknown>;
  /** this file's temporary folder */
  work: string;
}

/** Opens the page in a before() hook (MNIST loaded, the worker up) and closes it after. */
export function appToolPage(prefix: string): AppToolPage {
  // SwiftShader for these files' page and CLI runs: the drag-and-drop test needs a kernel variant
  // the page would not choose itself (subgroup.r32), and Chromium's lavapipe (compatibility mode)
  // has no subgroups; the other file keeps the same adapter, so both time the page alike
  process.env.TVAE_CHROMIUM_ADAPTER ||= 'swiftshader';
  const screens = join(projectRoot, 'test-output', 'screens');
  let h: Harness | undefined;
  const harness = (): Harness => h ?? assert.fail('app page not open');
  const driver = appDriver<AppState>(harness);
  before(async () => {
    mkdirSync(screens, { recursive: true });
    h = await openHarness('index.html', { log: (l) => console.error(l) });
    await h.page.setViewport({ width: 1280, height: 800 });
    const s = await driver.waitFor('MNIST and the training worker', (x) => x.dataReady || x.status === 'error');
    assert.ok(s.dataReady, `the page did not get ready: ${s.message}`);
  });
  after(async () => {
    await h?.close();
  });
  return { ...driver, harness, screenshot: (name) => harness().page.screenshot({ path: join(screens, name) }), work: tempDir(prefix) };
}
