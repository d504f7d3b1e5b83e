// The playground's pure parts, in plain Node: the brush geometry (brush.ts), the fill scheduler's
// debounce and its at-most-one-rerun rule (fill_scheduler.ts), and the input checks (validate.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stampDisc, stampSegment } from '../src/page/playground/brush.ts';
import { createFillScheduler } from '../src/page/playground/fill_scheduler.ts';
import { validateImages, validateModels, type PlaygroundModel } from '../src/page/playground/validate.ts';
import { modelLayout } from '../src/parts/model.ts';
import type { VaeConfig } from '../src/model/vae_gpu.ts';

const g = { rows: 28, cols: 28 };
const count = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a size-1 brush paints the one pixel under the pointer, wherever in the pixel it is', () => {
  for (const [x, y] of [[3.5, 7.5], [3.01, 7.01], [3.99, 7.99]]) {
    const m = new Uint8Array(28 * 28);
    assert.equal(stampDisc(m, g, { x, y }, 1, 1), 1);
    assert.equal(m[7 * 28 + 3], 1);
  }
});

test('a round brush covers about pi r^2 pixels, clipped at the edges, and a second stamp changes nothing', () => {
  for (const size of [3, 5, 8]) {
    const m = new Uint8Array(28 * 28);
    const n = stampDisc(m, g, { x: 14.5, y: 14.5 }, size, 1); // at a pixel centre
    const area = Math.PI * (size / 2) ** 2;
    assert.ok(Math.abs(n - area) <= 0.3 * area, `size ${size}: ${n} pixels vs pi r^2 = ${area.toFixed(1)}`);
    assert.equal(count(m), n);
    assert.equal(stampDisc(m, g, { x: 14.5, y: 14.5 }, size, 1), 0);
  }
  const corner = new Uint8Array(28 * 28);
  const n = stampDisc(corner, g, { x: 0, y: 0 }, 8, 1); // a quarter of the disc lies inside
  assert.ok(Math.abs(n - Math.PI * 16 / 4) <= 4, `corner stamp ${n}`);
});

test('a fast stroke (two pointer events far apart) leaves a continuous line; erasing takes it back', () => {
  const m = new Uint8Array(28 * 28);
  assert.equal(stampSegment(m, g, { x: 2.5, y: 5.5 }, { x: 20.5, y: 5.5 }, 1, 1), 19);
  for (let c = 2; c <= 20; c++) assert.equal(m[5 * 28 + c], 1, `column ${c}`);
  assert.equal(stampSegment(m, g, { x: 2.5, y: 5.5 }, { x: 10.5, y: 5.5 }, 1, 0), 9);
  assert.equal(count(m), 10);
});

test('the scheduler debounces a burst into one fill', async () => {
  let runs = 0;
  const s = createFillScheduler(async () => void runs++, 20);
  s.request();
  s.request();
  s.request();
  assert.equal(s.busy, true);
  await sleep(60);
  assert.equal(runs, 1);
  assert.equal(s.busy, false);
});

/** A scheduler whose fills count themselves and wait until released. */
function blockingScheduler() {
  const b = { runs: 0, release: () => {}, scheduler: undefined as unknown as ReturnType<typeof createFillScheduler> };
  b.scheduler = createFillScheduler(async () => {
    b.runs++;
    await new Promise<void>((r) => (b.release = r));
  }, 5);
  return b;
}

test('requests during a running fill give exactly one more fill, never a queue', async () => {
  const b = blockingScheduler();
  const s = b.scheduler;
  s.now();
  assert.equal(b.runs, 1);
  for (let i = 0; i < 5; i++) {
    s.request();
    s.now();
  }
  await sleep(30); // the debounced requests are due, the first fill still runs
  assert.equal(b.runs, 1);
  b.release();
  await sleep(10);
  assert.equal(b.runs, 2, 'one rerun after the running fill');
  b.release();
  await sleep(30);
  assert.equal(b.runs, 2);
  assert.equal(s.busy, false);
});

test('cancel drops pending fills and the rerun', async () => {
  const b = blockingScheduler();
  const s = b.scheduler;
  s.now();
  s.now(); // a rerun is due
  s.cancel();
  b.release();
  s.request();
  await sleep(30);
  assert.equal(b.runs, 1);
});

const config = (D: number, extra: Partial<VaeConfig> = {}): VaeConfig => ({
  shape: { encoder: [D, 8], latent: 2, decoder: [8, D] },
  prior: { kind: 'gaussian' },
  batch: 10,
  optimizer: { kind: 'sgd', lr: 0.1 },
  seed: 1,
  ...extra,
});
const model = (label: string, c: VaeConfig): PlaygroundModel => ({ label, config: c, params: new Float32Array(modelLayout(c).bytes / 4) });

test('bad images and models are refused with a message naming the value', () => {
  assert.equal(validateImages({ pixels: new Float32Array(2 * 784), count: 2, D: 784 }), 28);
  assert.throws(() => validateImages({ pixels: new Float32Array(9), count: 1, D: 9 }), /squares mask needs images of side 4 or more, got D = 9/);
  assert.throws(() => validateImages({ pixels: new Float32Array(784).fill(NaN), count: 1, D: 784 }), /pixels must be in \[0, 1\], got NaN/);
  assert.throws(() => validateImages({ pixels: new Float32Array(784), count: 0, D: 784 }), /count must be a positive integer, got 0/);
  const a = model('a', config(784));
  assert.equal(validateModels([a, model('b', config(784, { prior: { kind: 't', nu: 5 } }))], 784), 784);
  assert.throws(() => validateModels([a, a, a]), /takes 1 or 2 models, got 3/);
  assert.throws(() => validateModels([{ ...a, label: '' }]), /model #1 needs a non-empty label/);
  assert.throws(() => validateModels([model('g', config(784, { likelihood: { kind: 'gaussian', variance: 0.1 } }))]), /model "g" has a gaussian decoder/);
  assert.throws(() => validateModels([model('c', config(784, { classes: 10 }))]), /model "c" is conditional \(10 classes\)/);
  assert.throws(() => validateModels([a], 400), /the models take D = 784 pixels but the test images have D = 400/);
});
