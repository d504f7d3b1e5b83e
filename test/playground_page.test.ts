// The imputation playground (src/page/playground/) in headless Chromium, driven like a user: real
// clicks, keys and mouse strokes on its host page (test/page/playground.html), which trains two
// tiny VAEs (Gaussian and t prior) in the page on an MNIST subset served from here. Asserts on the
// component's state(): the mask grows by about the brush's area, erasing shrinks it, the protocol's
// masks have their sizes, and after each fill every method's MSE on the holes is below that of
// leaving them at 0, with observed pixels untouched. Screenshots go to test-output/playground/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { defaultDataDir } from '../src/data/mnist.ts';
import { loadIdxFolder } from '../src/data/idx.ts';
import { squaresMask } from '../src/eval/masks.ts';
import { openHarness, type Harness } from '../src/node/harness.ts';
import { projectRoot } from '../src/node/project_root.ts';
import type { PlaygroundState } from '../src/page/playground/playground.ts';
import type { HostSetup } from './page/playground_host.ts';

const SHOTS = join(projectRoot, 'test-output', 'playground');
const SIDE = 28, D = SIDE * SIDE;
const setup: HostSetup = { counts: { train: 2000, valid: 200, test: 50 }, hidden: [64], latent: 8, batch: 50, lr: 0.003, epochs: 6, nu: 5 };

let h: Harness | undefined;
const harness = (): Harness => h ?? assert.fail('playground page not open');
const state = () => harness().call<PlaygroundState>('playgroundState');
const shot = (name: string) => harness().page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const responseMs: number[] = [];

/** Waits until the fill that saw the latest change has ended. */
async function filled(timeoutMs = 60_000): Promise<PlaygroundState> {
  const t0 = Date.now();
  for (;;) {
    const s = await state();
    if (!s.busy && s.filledVersion === s.version) return s;
    if (Date.now() - t0 > timeoutMs) assert.fail(`no fill within ${timeoutMs} ms: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A mouse stroke over the editor between two points given in image pixels. */
async function stroke(from: [number, number], to: [number, number]): Promise<void> {
  const page = harness().page;
  const box = (await (await page.$('.pg-editor'))!.boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + (x / SIDE) * box.width, box.y + (y / SIDE) * box.height] as const;
  await page.mouse.move(...at(from));
  await page.mouse.down();
  await page.mouse.move(...at(to), { steps: 12 });
  await page.mouse.up();
}

const click = (pg: string) => harness().page.click(`[data-pg="${pg}"]`);

/** Sets the brush with the keyboard, as a user would on the slider. */
async function brush(size: number): Promise<void> {
  const page = harness().page;
  await page.focus('[data-pg="brush"]');
  const now = Number(await page.$eval('[data-pg="brush"]', (e) => (e as HTMLInputElement).value));
  for (let i = now; i !== size; i += Math.sign(size - now)) await page.keyboard.press(size > now ? 'ArrowRight' : 'ArrowLeft');
}

/** Every method of every model beats holes left at 0, keeps the observed pixels, and the page
 *  shows each MSE under its image. */
async function assertFilled(s: PlaygroundState, what: string): Promise<void> {
  assert.equal(s.error, undefined, `${what}: ${s.error}`);
  assert.ok(s.zeroMse !== undefined && s.zeroMse > 0, `${what}: zero-fill MSE ${s.zeroMse}`);
  assert.equal(s.models.length, 2);
  responseMs.push(s.lastResponseMs!);
  for (const m of s.models) {
    for (const method of ['prediction', 'gibbs', 'mwg'] as const) {
      const v = m.mse[method];
      assert.ok(v !== undefined && Number.isFinite(v), `${what}, ${m.label} ${method}: MSE ${v}`);
      assert.ok(v < s.zeroMse, `${what}, ${m.label} ${method}: MSE ${v} is not below the zero-fill ${s.zeroMse}`);
      assert.equal(m.observedChanged[method], 0, `${what}, ${m.label} ${method}: observed pixels changed`);
    }
    const i = s.models.indexOf(m);
    for (const method of ['prediction', 'gibbs', 'mwg'] as const) {
      const shown = await harness().page.$eval(`[data-pg="mse-${i}-${method}"]`, (e) => e.textContent ?? '');
      assert.match(shown, new RegExp(`MSE on holes ${m.mse[method]!.toFixed(4)}`), `${what}, ${m.label} ${method}: caption "${shown}"`);
    }
    assert.equal(await harness().page.$$eval(`[data-pg="model-${i}"] canvas`, (c) => c.length), 3);
    console.log(`${what}, ${m.label}: holes at 0 ${s.zeroMse.toFixed(4)}, prediction ${m.mse.prediction!.toFixed(4)}, pseudo-Gibbs ${m.mse.gibbs!.toFixed(4)}, MwG ${m.mse.mwg!.toFixed(4)} (acceptance ${m.mwgAcceptance?.toFixed(2)}); ${s.lastResponseMs?.toFixed(0)} ms`);
  }
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const { train, test } = loadIdxFolder(defaultDataDir());
  const { counts } = setup;
  const blobs = new Map([
    ['train', train.images.subarray(0, counts.train * D)],
    ['valid', train.images.subarray(counts.train * D, (counts.train + counts.valid) * D)],
    ['test', test.images.subarray(0, counts.test * D)],
  ]);
  h = await openHarness('test/page/playground.html', { log: (l) => console.error(l), blobs });
  await h.page.setViewport({ width: 1280, height: 900 });
  const t = await h.call<{ trainSeconds: number; validLoss: number[] }>('setup', setup);
  console.log(`adapter: ${h.adapter.vendor} ${h.adapter.architecture}; two models trained in ${t.trainSeconds.toFixed(1)} s, validation loss ${t.validLoss.map((v) => v.toFixed(1)).join(', ')}`);
});

after(async () => {
  if (responseMs.length) console.log(`fill response times (ms, both models, 3 methods): ${responseMs.map((v) => v.toFixed(0)).join(', ')}`);
  await h?.close();
});

test('the picker chooses a test digit by index, Next and Random', async () => {
  let s = await filled();
  assert.equal(s.source, 'test');
  assert.equal(s.index, 0);
  assert.equal(s.missing, 0);
  await click('next');
  assert.equal((await state()).index, 1);
  await harness().page.locator('[data-pg="index"]').fill('7');
  await harness().page.$eval('[data-pg="index"]', (e) => e.dispatchEvent(new Event('change')));
  assert.equal((await state()).index, 7);
  await click('random');
  s = await state();
  assert.ok(s.index !== 7 && s.index! >= 0 && s.index! < setup.counts.test, `random index ${s.index}`);
  await harness().page.locator('[data-pg="index"]').fill('3');
  await harness().page.$eval('[data-pg="index"]', (e) => e.dispatchEvent(new Event('change')));
  assert.equal((await filled()).index, 3);
});

test('a mouse stroke paints holes of about the brush area, erasing takes them back, and the fill beats holes at 0', async () => {
  await click('clear');
  await brush(3);
  const before = (await filled()).missing;
  // a stroke of length 14 pixels with a round brush of diameter 3: a 3 x 14 band and two half discs
  await stroke([7, 14.5], [21, 14.5]);
  let s = await filled();
  const painted = s.missing - before, expected = 3 * 14 + Math.PI * 1.5 ** 2;
  assert.ok(Math.abs(painted - expected) < 0.25 * expected, `painted ${painted} pixels, expected about ${expected.toFixed(0)}`);
  await assertFilled(s, 'painted stroke');
  await shot('1-painted');

  // erase the stroke's left half with a wider brush (diameter 5): what is left is the band from
  // x = 12 + 2.5 to 21 and its right end
  await click('tool-erase');
  await brush(5);
  await stroke([6, 14.5], [12, 14.5]);
  s = await filled();
  const left = s.missing - before, expectedLeft = 3 * (21 - 14.5) + Math.PI * 1.5 ** 2 / 2;
  assert.ok(left > 0 && Math.abs(left - expectedLeft) < 0.35 * expectedLeft, `${left} holes left after erasing, expected about ${expectedLeft.toFixed(0)}`);
  await shot('2-erased');
});

test('the protocol masks: random 30% and 50 squares of side 1..4, each filled better than zeros', async () => {
  await click('random30');
  let s = await filled();
  assert.equal(s.lastMask?.kind, 'random 30%');
  assert.equal(s.missing, Math.round(0.3 * D));
  await assertFilled(s, 'random 30%');
  await shot('3-random30');

  await click('squares');
  s = await filled();
  assert.equal(s.lastMask?.kind, '50 squares 1-4');
  const want = squaresMask(1, SIDE, SIDE, { squares: 50, minSide: 1, maxSide: 4, seed: s.lastMask!.seed }).reduce((a, v) => a + v, 0);
  assert.equal(s.missing, want, 'the squares mask of masks.ts with the seed the page reports');
  // 50 squares of mean area 7.5 overlap: well under 50 * 7.5 = 375 pixels, well over the largest square
  assert.ok(s.missing > 16 && s.missing < 375, `squares mask holds ${s.missing} pixels`);
  await assertFilled(s, '50 squares');
  await shot('4-squares');

  // the Fill button fills again without a change
  const fills = s.fills;
  await click('fill');
  s = await filled();
  assert.equal(s.fills, fills + 1);
});

test('draw your own digit with ink, mask it, and both models fill it', async () => {
  await click('draw');
  let s = await filled();
  assert.equal(s.source, 'drawn');
  assert.equal(s.index, -1);
  assert.equal(s.missing, 0);
  assert.equal(await harness().page.$eval('[data-pg="tool-ink"]', (e) => (e as HTMLInputElement).checked), true);
  // a "1": one vertical stroke of ink
  await brush(3);
  await stroke([14, 5], [14, 23]);
  // holes over the middle third of the stroke: the models see its two ends
  await click('tool-mask');
  await brush(5);
  await stroke([14, 11], [14, 17]);
  s = await filled();
  const expected = 5 * 6 + Math.PI * 2.5 ** 2;
  assert.ok(Math.abs(s.missing - expected) < 0.25 * expected, `holes ${s.missing}, expected about ${expected.toFixed(0)}`);
  await assertFilled(s, 'drawn digit');
  await shot('5-drawn');
});

test('new weights after an epoch are written into the same evaluators and filled again', async () => {
  const s0 = await filled();
  const s1 = await harness().call<PlaygroundState>('trainMore');
  assert.ok(s1.version > s0.version);
  const s = await filled();
  assert.equal(s.evaluatorBuilds, s0.evaluatorBuilds, 'no evaluator rebuilt for new weights');
  assert.equal(s.evaluatorBuilds, 2);
  assert.ok(s.fills > s0.fills);
  await assertFilled(s, 'after one more epoch');
});

test('bad input is refused with one clear message and changes nothing', async () => {
  const before = await filled();
  const r = await harness().call<Record<string, string> & { stateAfter: PlaygroundState }>('badInputs');
  assert.match(r.notSquare, /D must be a square number of pixels .* got D = 500/);
  assert.match(r.wrongD, /the models take D = 784 pixels but the test images have D = 400/);
  assert.match(r.wrongLength, /1 images of D = 784 pixels need 784 values, got 783/);
  assert.match(r.outOfRange, /pixels must be in \[0, 1\], got 2 at image 0, pixel 0/);
  assert.match(r.empty, /setModels takes 1 or 2 models, got 0/);
  assert.match(r.mismatched, /mismatched configs: model #1 takes D = 784 pixels but model "t prior \(nu 5\)" takes D = 100/);
  assert.match(r.wrongParams, /params hold 400 bytes but its config needs \d+/);
  assert.equal(r.stateAfter.missing, before.missing);
  assert.equal(r.stateAfter.version, before.version);
  assert.equal(r.stateAfter.evaluatorBuilds, before.evaluatorBuilds);
});
