// The tables page (tables.html) driven like a user: a real file drop (Chromium's drag events with
// a file from disk), the detected types and an edit of one, the missingness map, both priors
// trained side by side with the held-out error per column after every epoch, and the completed
// CSV, whose observed cells must be the dropped file's, byte for byte. Leaves a screenshot in
// test-output/screens/tables-page.png (docs/tables-page.png comes from scripts/tables_screenshot.ts).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openHarness, type Harness } from '../src/node/harness.ts';
import { projectRoot } from '../src/node/project_root.ts';
import { appDriver } from './util/app_driver.ts';
import { tempDir } from './util/cli.ts';

interface Held { column: string; type: string; cells: number; error: number }
interface State {
  status: string; statusText: string; message?: string;
  table?: { source: string; rows: number; columns: { name: string; type: string }[] };
  epochs: { gaussian: number; t: number };
  heldOut: { gaussian: Held[]; t: Held[] };
  baseline: Held[];
  csv: { gaussian: string[]; t: string[] };
  liveTypes: string[];
}

let h: Harness | undefined;
const harness = (): Harness => h ?? assert.fail('tables page not open');
const { waitFor, fill } = appDriver<State>(harness);

// 48 penguins spread over the set (all species), real holes as NA, and a few more holes
function penguinsCsv(): string {
  const recs = JSON.parse(readFileSync(join(projectRoot, 'node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Record<string, string | number | null>[];
  const keys = Object.keys(recs[0]);
  const lines = [keys.join(',')];
  for (let i = 0; i < 48; i++) {
    const r = recs[Math.floor((i * recs.length) / 48)];
    lines.push(keys.map((k, j) => (r[k] === null || r[k] === '.' || (i * 7 + j) % 23 === 0 ? 'NA' : String(r[k]))).join(','));
  }
  return lines.join('\n') + '\n';
}

before(async () => {
  h = await openHarness('tables.html', { log: (l) => console.error(l) });
  await h.page.setViewport({ width: 1280, height: 860 });
});

after(async () => {
  await h?.close();
});

test('a dropped CSV shows its detected types, editable, and its missingness map', async () => {
  const text = penguinsCsv();
  const file = join(tempDir('tables-page'), 'penguins-sample.csv');
  writeFileSync(file, text);
  const page = harness().page;
  const box = (await page.$('#drop'))!;
  const b = (await box.boundingBox())!;
  const at = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  const data = { items: [], files: [file], dragOperationsMask: 1 };
  await page.mouse.dragEnter(at, data);
  await page.mouse.dragOver(at, data);
  await page.mouse.drop(at, data);
  const s = await waitFor('the table to be read', (x) => x.status === 'ready' || x.status === 'error', 30_000);
  assert.equal(s.status, 'ready', String(s.message));
  assert.equal(s.table!.source, 'penguins-sample.csv');
  assert.equal(s.table!.rows, 48);
  assert.deepEqual(s.table!.columns.map((c) => c.type), ['categorical', 'categorical', 'real', 'real', 'real', 'real', 'binary']);
  assert.match(s.statusText, /48 rows, 7 columns, \d+ missing cells/);
  // edit a type: Island as binary is refused (3 levels) with one message; back to categorical reads again
  await fill({ 'type:Island': 'binary' });
  const bad = await waitFor('the refusal', (x) => x.status === 'error');
  assert.match(bad.message ?? '', /column "Island" is declared binary but has 3 levels/);
  await page.reload();
  await page.waitForFunction('window.tvaeReady !== undefined');
  await page.mouse.dragEnter(at, data);
  await page.mouse.dragOver(at, data);
  await page.mouse.drop(at, data);
  await waitFor('the table again', (x) => x.status === 'ready');
  await fill({ 'type:Flipper Length (mm)': 'categorical' });
  const edited = await waitFor('the edited type', (x) => x.status === 'ready' && x.table!.columns[4].type === 'categorical');
  assert.equal(edited.liveTypes[4], 'categorical');
  await fill({ 'type:Flipper Length (mm)': 'real' });
  await waitFor('the type back', (x) => x.status === 'ready' && x.table!.columns[4].type === 'real');
  // the map: one band per column, red where a cell is missing
  const red = await page.$eval('#map', (c) => {
    const cv = c as HTMLCanvasElement;
    const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === 200 && d[i + 1] === 30) n++;
    return { n, w: cv.width, h: cv.height };
  });
  // 48 rows drawn 5 px tall each (240 px)
  assert.equal(red.h, 240);
  assert.ok(red.n > 0, 'no missing cell drawn');
  assert.match(String(await page.$eval('.private', (e) => e.textContent)), /Nothing is uploaded/);
});

test('both priors train side by side with the held-out error per column live; the completed CSV keeps every observed cell', async () => {
  await fill({ epochs: '3', multiple: '1' });
  const epochsSeen = new Set<number>();
  await harness().page.click('#train');
  const s = await waitFor('training to finish', (x) => {
    if (x.status === 'training' && x.heldOut.gaussian.length) epochsSeen.add(x.epochs.gaussian);
    return x.status === 'done' || x.status === 'error';
  }, 240_000);
  assert.equal(s.status, 'done', String(s.message));
  assert.ok(epochsSeen.size >= 1, 'no live held-out error seen while training');
  assert.deepEqual(s.epochs, { gaussian: 3, t: 3 });
  for (const p of ['gaussian', 't'] as const) {
    assert.deepEqual(s.heldOut[p].map((x) => x.column), s.baseline.map((x) => x.column));
    assert.ok(s.heldOut[p].every((x) => Number.isFinite(x.error) && x.error >= 0));
    assert.equal(s.csv[p].length, 2, 'the completed CSV and M = 1 drawn table');
  }
  const input = penguinsCsv().split('\n');
  for (const csv of [...s.csv.gaussian, ...s.csv.t]) {
    const out = csv.split('\n');
    assert.equal(out.length, input.length);
    assert.equal(out[0], input[0]);
    for (let i = 1; i < input.length - 1; i++) {
      const a = input[i].split(','), b = out[i].split(',');
      a.forEach((v, j) => { if (v !== 'NA') assert.equal(b[j], v, `row ${i}, column ${j}`); else assert.notEqual(b[j], 'NA'); });
    }
  }
  const links = await harness().page.$$eval('#downloads a', (as) => as.map((a) => (a as HTMLAnchorElement).download));
  assert.deepEqual(links, ['penguins-sample-completed-gaussian.csv', 'penguins-sample-completed-gaussian-1.csv', 'penguins-sample-completed-t.csv', 'penguins-sample-completed-t-1.csv']);
  mkdirSync(join(projectRoot, 'test-output/screens'), { recursive: true });
  await harness().page.screenshot({ path: join(projectRoot, 'test-output/screens/tables-page.png') });
});
