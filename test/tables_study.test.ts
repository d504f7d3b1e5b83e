// The tables study's parts against hand-computed values (MCAR masks, scores, mean/mode, the power
// of the verdicts, the report's sentences), the scikit-learn peer script on a tiny table and its
// skip-with-reason path, and the study end to end at tiny size (one set, one rate, 2 seeds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mcarMask } from '../src/studies/tables/mcar.ts';
import { realScales, scoreImputation } from '../src/studies/tables/score.ts';
import { meanModeImpute } from '../src/studies/tables/mean_mode.ts';
import { detectableEffect } from '../src/studies/tables/power.ts';
import { runSklearnPeers, SKLEARN_SCRIPT } from '../src/studies/tables/peers.ts';
import { writeTablesReport, type ResultRow } from '../src/studies/tables/report.ts';
import { loadTableSet } from '../src/studies/tables/datasets.ts';
import { limited, tablesStudy } from '../src/studies/tables/study.ts';
import { toTableData } from '../src/studies/tables/vae.ts';
import { withHoles, type StudyTable } from '../src/studies/tables/table.ts';
import { tempDir } from './util/cli.ts';

const python = '/usr/bin/python3';
// found, not imported: importing sklearn costs a python start about 0.7 CPU-seconds
const hasSklearn = spawnSync(python, ['-c', 'import importlib.util, sys; sys.exit(importlib.util.find_spec("sklearn") is None)'], { encoding: 'utf8' }).status === 0;
const TINY = { knn_k: 2, mice_iter: 2, forest_trees: 3, forest_iter: 2 };

// 4 rows: real x (sd 2 over 1, 3, 5, 7 ... see below), binary b, categorical c with 3 levels
const tiny = (): StudyTable => ({
  name: 'tiny', rows: 4,
  columns: [{ name: 'x', type: 'real' }, { name: 'b', type: 'binary', levels: ['no', 'yes'] }, { name: 'c', type: 'categorical', levels: ['r', 'g', 'b'] }],
  values: Float64Array.from([1, 0, 0, 3, 1, 1, 5, 1, 2, 7, NaN, 1]),
});

test('MCAR masks hide exactly round(rate x observed) observed cells, per seed, never a real hole', () => {
  const t = loadTableSet('penguins');
  const observed = t.values.filter((v) => !Number.isNaN(v)).length;
  const a = mcarMask(t, 0.2, 7), b = mcarMask(t, 0.2, 7), c = mcarMask(t, 0.2, 8);
  assert.equal(a.reduce((s, v) => s + v, 0), Math.round(0.2 * observed));
  assert.deepEqual(a, b, 'same seed, same mask');
  assert.notDeepEqual(a, c, 'another seed, another mask');
  t.values.forEach((v, k) => { if (Number.isNaN(v)) assert.equal(a[k], 0, `real hole ${k} chosen`); });
  // 11 observed cells of `tiny`: 20% is round(2.2) = 2
  assert.equal(mcarMask(tiny(), 0.2, 1).reduce((s, v) => s + v, 0), 2);
  assert.throws(() => mcarMask(tiny(), 0.99, 1), /leaves column "[xbc]" with no observed cell/);
  assert.throws(() => mcarMask(tiny(), 1, 1), /missing rate must be in \(0, 1\), got 1/);
});

test('scores: standardised RMSE and error rates on the hidden cells only, by hand', () => {
  const t = tiny();
  // x observed 1, 3, 5, 7: mean 4, sample sd sqrt(20/3)
  const sd = Math.sqrt(20 / 3);
  assert.ok(Math.abs(realScales(t)[0] - sd) < 1e-12);
  const hide = Uint8Array.from([1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0]);
  const imputed = Float64Array.from([2, 0, 0, 1, 1, 2, 5, 1, 0, 7, 0, 1]);
  // x: errors (2-1)/sd and (1-3)/sd -> RMSE sqrt((1 + 4) / 2) / sd; b: 1 vs 1 right; c: row 1 (2 vs 1) and row 2 (0 vs 2) wrong
  const s = scoreImputation(t, hide, imputed);
  assert.ok(Math.abs(s.realRmse - Math.sqrt(2.5) / sd) < 1e-12);
  assert.equal(s.binaryError, 0);
  assert.equal(s.categoricalError, 1);
  assert.deepEqual(s.perColumn.map((c) => c.hidden), [2, 1, 2]);
  // unhidden cells are never scored, whatever they hold; a hidden cell left empty is an error
  const other = imputed.slice(); other[6] = 99;
  assert.equal(scoreImputation(t, hide, other).realRmse, s.realRmse);
  const empty = imputed.slice(); empty[3] = NaN;
  assert.throws(() => scoreImputation(t, hide, empty), /left row 2, column "x" empty/);
  // no hidden cell of a type: NaN, not 0
  assert.ok(Number.isNaN(scoreImputation(t, Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), imputed).binaryError));
});

test('mean/mode imputation fills holes with the observed mean and the most frequent level', () => {
  const t = withHoles(tiny(), Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]));
  // x observed 3, 5, 7 -> 5; b observed 0, 1, 1 -> 1 (row 4 was a real hole); c observed 0, 1, 2 -> tie, lowest index 0
  assert.deepEqual(Array.from(meanModeImpute(t)), [5, 0, 0, 3, 1, 1, 5, 1, 2, 7, 1, 0]);
});

test('the power statement: detectable effect at 80% power from t tables', () => {
  // n = 3 a side, df 4: t(0.975) = 2.7764, t(0.80) = 0.9410 -> (2.7764 + 0.9410) sqrt(2/3) = 3.0353
  assert.ok(Math.abs(detectableEffect(3) - 3.0353) < 2e-3, String(detectableEffect(3)));
  // n = 5, df 8: t(0.975) = 2.3060, t(0.80) = 0.8889 -> 3.1949 sqrt(0.4) = 2.0206
  assert.ok(Math.abs(detectableEffect(5) - 2.0206) < 2e-3, String(detectableEffect(5)));
  assert.equal(detectableEffect(1), Infinity);
});

test('the report says where a peer wins and states the 15% claim as measured', () => {
  const row = (method: ResultRow['method'], seed: number, realRmse: number, categoricalError: number): ResultRow =>
    ({ set: 'tiny', rate: 0.2, seed, method, seconds: 1, scores: { realRmse, binaryError: NaN, categoricalError, perColumn: [] } });
  const rows = [
    row('VAE, Gaussian prior', 1, 0.80, 0.30), row('VAE, Gaussian prior', 2, 0.82, 0.32),
    row('VAE, t prior', 1, 0.90, 0.30), row('VAE, t prior', 2, 0.91, 0.31),
    row('mean/mode', 1, 1.00, 0.60), row('mean/mode', 2, 1.01, 0.61),
    row('MICE', 1, 0.60, 0.30), row('MICE', 2, 0.61, 0.31),
  ];
  const md = writeTablesReport(rows, {
    sets: [{ name: 'tiny', rows: 4, columns: tiny().columns.filter((c) => c.type !== 'binary'), realHoles: 0 }],
    rates: [0.2], seeds: 2, training: '2 epochs', gpuTraining: '5 Adam steps', software: true, sklearn: TINY,
    vae: { describe: 'test VAE' }, peers: { describe: 'test peers' },
  });
  assert.match(md, /MICE beats the VAE, Gaussian prior on tiny at 20%: real RMSE \(sd units\), p = /);
  assert.match(md, /MICE beats the VAE, t prior on tiny at 20%: real RMSE/);
  // 2 priors x 2 metrics: MICE wins on real RMSE against both, ties on the categorical error
  assert.match(md, /In plain words: MICE beats a VAE in 2 of 4 comparisons \(set x rate x column type x prior; on tiny 20%\) and loses 0\./);
  assert.doesNotMatch(md, /MICE beats the VAE, [^\n]*categorical/);
  // 0.81 / 1.005 = 0.806 <= 0.85 holds; 0.905 / 1.005 = 0.900 does not
  assert.match(md, /\| tiny \| 20% \| VAE, Gaussian prior \| 0\.810 \| 1\.005 \| 0\.806 \| true \|/);
  assert.match(md, /\| tiny \| 20% \| VAE, t prior \| 0\.905 \| 1\.005 \| 0\.900 \| false \|/);
  assert.match(md, /t prior vs Gaussian prior: real RMSE \(sd units\): worse \(p = /);
  assert.match(md, /with 2 seeds a side it detects, at 80% power, a difference of about 5\.\d seed standard deviations/);
  assert.match(md, /scaled down on a software adapter/);
});

test('the scikit-learn peers without an interpreter ($TVAE_PYTHON at a missing file): skipped, the reason in the report', async () => {
  const saved = process.env.TVAE_PYTHON;
  process.env.TVAE_PYTHON = '/nonexistent/python3';
  try {
    const r = await runSklearnPeers([{ id: 'a', seed: 1, table: tiny() }], TINY);
    assert.equal(r.available, false);
    if (!r.available) assert.match(r.reason, /could not run \/nonexistent\/python3 \(ENOENT\)/);
    const lines: string[] = [];
    const path = await tablesStudy({ out: join(tempDir('tables-nopy'), 'r'), sets: ['wine'], rates: [0.2], seeds: 2, noVae: 'not in this test' }, (l) => lines.push(l));
    const md = readFileSync(path, 'utf8');
    assert.match(md, /kNN, MICE and the forest skipped: could not run \/nonexistent\/python3 \(ENOENT\)/);
    assert.ok(lines.some((l) => /scikit-learn peers skipped: could not run \/nonexistent\/python3/.test(l)));
    assert.match(md, /\| mean\/mode \| \d\.\d{3} ± \d\.\d{3} \|/);
    assert.match(md, /VAE: not run \(not in this test\)/);
  } finally {
    if (saved === undefined) delete process.env.TVAE_PYTHON;
    else process.env.TVAE_PYTHON = saved;
  }
});

test(`the scikit-learn peer script ${hasSklearn ? 'imputes a tiny table with kNN, MICE and the forest' : 'says scikit-learn is missing'}`, async () => {
  const r = spawnSync(python, ['-m', 'py_compile', SKLEARN_SCRIPT], { encoding: 'utf8', env: { ...process.env, PYTHONPYCACHEPREFIX: tempDir('pycache') } });
  assert.equal(r.status, 0, r.stderr);
  const t = { ...loadTableSet('penguins') };
  t.rows = 40; t.values = t.values.slice(0, 40 * t.columns.length);
  const hide = mcarMask(t, 0.2, 3), masked = withHoles(t, hide);
  const res = await runSklearnPeers([{ id: 'p', seed: 1, table: masked }], TINY, { python });
  assert.equal(res.available, hasSklearn, res.available ? '' : res.reason);
  if (!res.available) return assert.match(res.reason, /scikit-learn not installed/);
  for (const [m, out] of Object.entries(res.imputed.get('p')!)) {
    masked.values.forEach((v, k) => {
      if (!Number.isNaN(v)) assert.equal(out[k], v, `${m} changed observed cell ${k}`);
      else assert.ok(Number.isFinite(out[k]), `${m} left cell ${k} empty`);
    });
    const s = scoreImputation(t, hide, out);
    assert.ok(s.realRmse > 0 && s.realRmse < 2, `${m}: real RMSE ${s.realRmse}`);
    // levels are whole indices within range
    t.columns.forEach((c, j) => { if (c.levels) for (let i = 0; i < t.rows; i++) assert.ok(Number.isInteger(out[i * 7 + j]) && out[i * 7 + j] < c.levels.length); });
  }
});

test('the VAE side reads the study table with its types; levels map back by name', () => {
  const t = limited(loadTableSet('penguins'), 40);
  const d = toTableData(t);
  assert.deepEqual(d.columns.map((c) => c.type), t.columns.map((c) => c.type));
  // penguins' Island levels first seen Torgersen, Biscoe, Dream; TableData sorts them
  assert.deepEqual(t.columns[1].levels, ['Torgersen', 'Biscoe', 'Dream']);
  assert.deepEqual(d.columns[1].levels, ['Biscoe', 'Dream', 'Torgersen']);
  assert.equal(d.mask.reduce((a, b) => a + b, 0), t.values.filter((v) => !Number.isNaN(v)).length);
});

test('the study end to end at tiny size: one set, one rate, 2 seeds, both VAEs and the peers', async () => {
  const out = join(tempDir('tables-study'), 'report');
  const lines: string[] = [];
  const path = await tablesStudy({ out, sets: ['penguins'], rates: [0.2], seeds: 2, limit: 60, epochs: 2, K: 5, sklearn: TINY, python }, (l) => lines.push(l));
  const md = readFileSync(path, 'utf8');
  assert.match(md, /penguins \(60 rows; 4 real, 1 binary, 2 categorical; \d+ cells missing in the data, never scored\)/);
  for (const m of ['VAE, Gaussian prior', 'VAE, t prior']) assert.match(md, new RegExp(`\\| ${m} \\| \\d\\.\\d{3} ± \\d\\.\\d{3} \\| \\d`));
  assert.match(md, /\| VAE, t prior vs mean\/mode \|/);
  assert.match(md, /\| penguins \| 20% \| VAE, Gaussian prior \| \d\.\d{3} \| \d\.\d{3} \| \d\.\d{3} \| (true|false) \|/);
  assert.match(md, /- penguins, 20%: t prior vs Gaussian prior: real RMSE/);
  assert.match(md, /## penguins, 20% missing/);
  for (const m of hasSklearn ? ['mean/mode', 'kNN', 'MICE', 'forest'] : ['mean/mode']) assert.match(md, new RegExp(`\\| ${m} \\| \\d`));
  const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { rows: ResultRow[] };
  for (const m of ['mean/mode', 'VAE, Gaussian prior', 'VAE, t prior']) assert.equal(json.rows.filter((r) => r.method === m).length, 2, m);
});
