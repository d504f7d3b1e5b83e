// `npm run impute` end to end on a tiny table with holes (BOM, CRLF, semicolons, quoted fields with
// the delimiter and quotes inside, several missing markers): every observed cell of the completed
// CSV is byte-identical (checked by a pattern built from the input's own raw cells, not by the
// project's parser), missing cells hold a value of their column, the multiple imputations too;
// --resume continues the run's history; an existing --out is never overwritten; bad input is one
// line and writes nothing. Tiny model and few epochs: seconds, not minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochStats } from '../src/train/trainer.ts';
import { createRng } from '../src/rng.ts';
import { runCli, tempDir } from './util/cli.ts';
import { imputeCommand, toImputeOptions } from '../src/cli/impute_options.ts';
import { imputeRun } from '../src/tables/impute_run.ts';
import { TvaeError } from '../src/errors.ts';

const COLORS = ['"red; dark"', 'green', '"say ""blue"""'];
const MISSING = ['', 'NA', '?', 'null', 'NaN'];
const FAST = ['--epochs', '2', '--hidden', '16', '--latent', '2', '--batch', '16', '--K', '8', '--pseudo-gibbs', '2'];

/** Raw rows of the input (each cell's exact bytes) and which cells are missing. */
function makeTable(rows: number, seed: number): { raw: string[][]; missing: boolean[][]; text: string } {
  const r = createRng(seed);
  const raw: string[][] = [], missing: boolean[][] = [];
  for (let i = 0; i < rows; i++) {
    const a = 20 + 40 * r.next();
    const cells = [a.toFixed(1), (a * 1.5 + r.normal()).toFixed(3), a > 40 ? 'yes' : 'no', COLORS[r.int(3)]];
    const miss = cells.map(() => r.next() < 0.2);
    if (miss.every(Boolean)) miss[0] = false;
    raw.push(cells.map((c, j) => (miss[j] ? MISSING[r.int(MISSING.length)] : c)));
    missing.push(miss);
  }
  const text = '\uFEFF' + ['age;"weight; kg";smoker;colour', ...raw.map((c) => c.join(';'))].join('\r\n') + '\r\n';
  return { raw, missing, text };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const FILLED: Record<number, string> = { 0: '-?\\d+\\.\\d', 1: '-?\\d+\\.\\d{3}', 2: '(yes|no)', 3: `(${COLORS.map(escape).join('|')})` };

/** The completed file must be the input with each missing cell replaced by a value of its column. */
function assertCompleted(out: string, t: ReturnType<typeof makeTable>, what: string): void {
  const lines = ['age;"weight; kg";smoker;colour', ...t.raw.map((cells, i) => cells.map((c, j) => (t.missing[i][j] ? FILLED[j] : escape(c))).join(';'))];
  const pattern = new RegExp(`^\\uFEFF${lines.map((l, i) => (i === 0 ? escape(l) : l)).join('\\r\\n')}\\r\\n$`);
  assert.match(out, pattern, `${what}: observed cells byte for byte, missing ones filled`);
}

test('impute CLI: completed CSV keeps observed cells byte for byte; --multiple; --resume continues', () => {
  const dir = tempDir('impute');
  const t = makeTable(48, 3);
  const data = join(dir, 'table.csv');
  writeFileSync(data, t.text);
  const run = join(dir, 'job.run');
  const first = runCli('src/cli/impute.ts', ['--data', data, '--out', join(dir, 'a.csv'), '--run', run, '--multiple', '1', ...FAST], undefined, { runtime: 'chromium' });
  assert.equal(first.code, 0, `impute failed:\n${first.stdout}\n${first.stderr}`);
  assert.match(first.stdout, /runtime: chromium/);
  assert.match(first.stdout, /colour: categorical \(3 levels/);
  assert.match(first.stdout, /smoker: binary/);
  assertCompleted(readFileSync(join(dir, 'a.csv'), 'utf8'), t, 'a.csv');
  assertCompleted(readFileSync(join(dir, 'a.imputation-1.csv'), 'utf8'), t, 'a.imputation-1.csv');
  const report = readFileSync(join(run, 'report.md'), 'utf8');
  assert.match(report, /\| colour \| categorical \| \d+ \| \d\.\d{3} \| \d\.\d{3} \|/);
  const h2 = JSON.parse(readFileSync(join(run, 'history.json'), 'utf8')) as EpochStats[];
  assert.equal(h2.length, 2);

  // --resume: two more epochs on the same run, in the other runtime (plain Node + Dawn on the
  // project's lavapipe, which npm test's Node pass needs anyway): a run folder is not tied to
  // one; the first two epochs' history is kept as it was
  const resumed = runCli('src/cli/impute.ts', ['--data', data, '--out', join(dir, 'b.csv'), '--run', run, '--resume', ...FAST.map((v, i) => (FAST[i - 1] === '--epochs' ? '4' : v))], undefined, { runtime: 'node' });
  assert.match(resumed.stdout, /runtime: node/);
  assert.equal(resumed.code, 0, `resume failed:\n${resumed.stdout}\n${resumed.stderr}`);
  const h4 = JSON.parse(readFileSync(join(run, 'history.json'), 'utf8')) as EpochStats[];
  assert.deepEqual(h4.map((s) => s.epoch), [1, 2, 3, 4]);
  assert.deepEqual(h4.slice(0, 2), h2);
  assertCompleted(readFileSync(join(dir, 'b.csv'), 'utf8'), t, 'b.csv');
});

test('impute: bad input and an existing --out are refused before anything is written', async () => {
  const dir = tempDir('impute-bad');
  const cases: [string, RegExp][] = [
    ['a,b,c\n1,2,x\n3,4\n5,6,y\n', /line 3: 2 fields, but the header has 3 \(ragged row\)/],
    [`a,b\n${Array.from({ length: 30 }, (_, i) => `${i},${i === 7 ? 'oops' : i * 2}`).join('\n')}\n`, /line 9, column "b": text "oops" in a column of numbers/],
    ['a,b\n1,NA\n2,?\n3,\n', /column "b" has no observed value/],
    ['a,b\n1,5\n2,5\n3,5\n', /column "b" is constant/],
    ['a,b\n1,5\n2,6\n3,7\n', /3 rows, fewer than a batch of 16/],
  ];
  for (const [i, [csv, message]] of cases.entries()) {
    const data = join(dir, `bad${i}.csv`);
    writeFileSync(data, csv);
    const o = toImputeOptions(imputeCommand().parse(['--data', data, '--out', join(dir, `out${i}.csv`), '--batch', '16'], { from: 'user' }).opts());
    await assert.rejects(imputeRun(o, { log: () => undefined }), (e: unknown) => e instanceof TvaeError && message.test(e.message), `case ${i}`);
  }
  // an existing --out is refused before any work, the file untouched
  const taken = join(dir, 'taken.csv');
  writeFileSync(taken, 'mine');
  writeFileSync(join(dir, 'good.csv'), 'a,b\n1,5\n2,6\n3,8\n');
  const o = toImputeOptions(imputeCommand().parse(['--data', join(dir, 'good.csv'), '--out', taken, '--batch', '2'], { from: 'user' }).opts());
  await assert.rejects(imputeRun(o, { log: () => undefined }), /taken\.csv exists: the completed table is never written over a file/);
  assert.equal(readFileSync(taken, 'utf8'), 'mine');
  // the CLI prints the refusal as one line and exits 1
  const r = runCli('src/cli/impute.ts', ['--data', join(dir, 'bad0.csv'), '--out', join(dir, 'out.csv')]);
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.equal(r.stderr.trim(), 'error: bad0.csv: line 3: 2 fields, but the header has 3 (ragged row)');
  assert.deepEqual(readdirSync(dir).sort(), [...cases.map((_, i) => `bad${i}.csv`), 'good.csv', 'taken.csv'].sort(), 'no output file or run folder was created');
});
