// The tables study under a job keeps each finished (set, rate, seed, method) as a JSON file in the
// job's folder and reuses it on --resume: a resumed study runs again only what is missing or
// damaged, and the reused results are the kept ones, number for number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Job, runJob } from '../src/cli/job.ts';
import { tablesStudy } from '../src/studies/tables/study.ts';
import type { ResultRow } from '../src/studies/tables/report.ts';
import { tempDir } from './util/cli.ts';

const python = '/usr/bin/python3';
// found, not imported: importing sklearn costs a python start about 0.7 CPU-seconds
const hasSklearn = spawnSync(python, ['-c', 'import importlib.util, sys; sys.exit(importlib.util.find_spec("sklearn") is None)'], { encoding: 'utf8' }).status === 0;
const TINY = { knn_k: 2, mice_iter: 2, forest_trees: 3, forest_iter: 2 };

test('a resumed tables study reuses every kept cell and reruns only the missing or damaged ones', async () => {
  const out = join(tempDir('tables-resume'), 'job');
  const options = { sets: 'penguins', rates: '0.2' };
  const run = async (resume: boolean) => {
    const lines: string[] = [];
    const job = Job.open(out, 'tables', options, resume, ['--study', 'tables']);
    await runJob(job, () => tablesStudy({ out, sets: ['penguins'], rates: [0.2], seeds: 1, limit: 60, epochs: 2, K: 5, sklearn: TINY, python, job }, (l) => lines.push(l)));
    const rows = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { rows: ResultRow[] }).rows;
    return { lines, rows };
  };
  const first = await run(false);
  assert.ok(!first.lines.some((l) => l.startsWith('reused:')), 'a fresh job has nothing to reuse');
  const cell = join(out, 'penguins-r0.2-s1');
  rmSync(join(cell, 'vae-t.json')); // as if killed while the t-prior VAE trained
  writeFileSync(join(cell, 'mean-mode.json'), '{"key": "torn'); // a damaged file is run again, not misused
  const second = await run(true);
  const reused = second.lines.filter((l) => l.startsWith('reused:'));
  const peers = hasSklearn ? ['kNN', 'MICE', 'forest'] : [];
  assert.deepEqual(reused.sort(), ['VAE, Gaussian prior', ...peers].map((m) => `reused: penguins-r0.2-s1 ${m}, run before`).sort());
  assert.ok(second.lines.includes('\n== penguins-r0.2-s1: VAE, t prior, 2 epochs'), 'the missing cell runs again');
  assert.match(second.lines.join('\n'), /scikit-learn peers \(kNN, MICE, forest\) on 0 masked tables/);
  // reused rows are the kept ones, seconds included (a rerun would have timed itself anew)
  const pick = (rows: ResultRow[], m: string) => rows.find((r) => r.method === m);
  for (const m of ['VAE, Gaussian prior', ...peers]) assert.deepEqual(pick(second.rows, m), pick(first.rows, m), m);
  // the rerun cells are back in the folder for the next resume
  JSON.parse(readFileSync(join(cell, 'vae-t.json'), 'utf8'));
  JSON.parse(readFileSync(join(cell, 'mean-mode.json'), 'utf8'));
  assert.equal(second.rows.length, first.rows.length);
});
