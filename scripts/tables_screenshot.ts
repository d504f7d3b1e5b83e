// The README's screenshot of the tables page (docs/tables-page.png), from models trained long
// enough to move away from mean imputation: the page test trains 3 epochs on 48 rows. Drives
// tables.html as the test does (a real file drop, a real click) on vega-datasets' penguins (344
// rows, real holes); not part of npm test.
//   node --import tsx scripts/tables_screenshot.ts [--epochs 40] [--out docs]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openHarness } from '../src/node/harness.ts';
import { projectRoot } from '../src/node/project_root.ts';

const { values: opt } = parseArgs({ options: { epochs: { type: 'string', default: '40' }, out: { type: 'string', default: 'docs' } } });
if (!/^[1-9]\d*$/.test(opt.epochs)) throw new Error(`--epochs must be a positive integer, got "${opt.epochs}"`);

const recs = JSON.parse(readFileSync(join(projectRoot, 'node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Record<string, string | number | null>[];
const keys = Object.keys(recs[0]);
const csv = [keys.join(','), ...recs.map((r) => keys.map((k) => (r[k] === null || r[k] === '.' ? 'NA' : String(r[k]))).join(','))].join('\n') + '\n';
const file = join(mkdtempSync(join(tmpdir(), 'tvae-tables-shot-')), 'penguins.csv');
writeFileSync(file, csv);

const h = await openHarness('tables.html', { log: (l) => console.error(l) });
try {
  await h.page.setViewport({ width: 1280, height: 860 });
  const b = (await (await h.page.$('#drop'))!.boundingBox())!;
  const at = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  const data = { items: [], files: [file], dragOperationsMask: 1 };
  await h.page.mouse.dragEnter(at, data);
  await h.page.mouse.dragOver(at, data);
  await h.page.mouse.drop(at, data);
  await h.page.waitForFunction(() => !(document.getElementById('train') as HTMLButtonElement).disabled, { timeout: 60_000 });
  await h.page.locator('#epochs').fill(opt.epochs);
  await h.page.click('#train');
  const t0 = Date.now();
  await h.page.waitForFunction(() => /^(done|training stopped)/.test(document.getElementById('status')!.textContent ?? ''), { timeout: 1_800_000, polling: 1000 });
  console.log(`trained both priors ${opt.epochs} epochs on penguins in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${await h.page.$eval('#status', (e) => e.textContent)}`);
  const out = resolve(projectRoot, opt.out);
  mkdirSync(out, { recursive: true });
  await h.page.screenshot({ path: join(out, 'tables-page.png') });
  console.log(`wrote ${join(out, 'tables-page.png')}`);
} finally {
  await h.close();
}
