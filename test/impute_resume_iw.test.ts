// `npm run impute --resume` under another --iw (the training objective): one error naming the
// value the run was trained with and the one given, before anything is written; a hostile iw in
// config.json is refused as such rather than printed. The run is a real one-epoch imputation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { imputeCommand, toImputeOptions, type ImputeCliOptions } from '../src/cli/impute_options.ts';
import { imputeRun } from '../src/tables/impute_run.ts';
import { createRng } from '../src/rng.ts';
import { tempDir } from './util/cli.ts';

const parse = (argv: string[]): ImputeCliOptions => toImputeOptions(imputeCommand().parse(argv, { from: 'user' }).opts());

/** Every file of a folder with its bytes and modification time. */
const snapshot = (dir: string) => readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'base64'), statSync(join(dir, f)).mtimeMs]);

test('impute --resume with another --iw: one error naming both values, nothing written', async () => {
  const dir = tempDir('resume-iw');
  mkdirSync(dir, { recursive: true });
  const r = createRng(9);
  const rows = Array.from({ length: 24 }, () => {
    const f = r.normal();
    return [r.next() < 0.15 ? '' : f.toFixed(2), (f + r.normal()).toFixed(2), f > 0 ? 'yes' : 'no'].join(',');
  });
  const data = join(dir, 't.csv');
  writeFileSync(data, ['a,b,c', ...rows].join('\n') + '\n');
  const args = ['--data', data, '--run', join(dir, 'run'), '--epochs', '1', '--hidden', '4', '--latent', '2', '--batch', '8', '--K', '2', '--pseudo-gibbs', '1'];
  await imputeRun(parse([...args, '--out', join(dir, 'first.csv'), '--iw', '2']), { log: () => undefined });
  const before = snapshot(join(dir, 'run'));

  const again = parse([...args, '--out', join(dir, 'second.csv'), '--iw', '1', '--epochs', '2', '--resume']);
  await assert.rejects(imputeRun(again, { log: () => undefined }), (e: Error) => {
    assert.equal(e.name, 'TvaeError');
    assert.equal(e.message, `--resume: the run in ${join(dir, 'run')} was trained with --iw 2, not --iw 1; resume with --iw 2 (the training objective cannot change within a run)`);
    return true;
  });
  assert.deepEqual(snapshot(join(dir, 'run')), before, 'the run folder is left as it was');
  assert.ok(!existsSync(join(dir, 'second.csv')), 'no output written');

  const config = JSON.parse(readFileSync(join(dir, 'run', 'config.json'), 'utf8')) as { model: { iw?: unknown } };
  assert.equal(config.model.iw, 2);
  // a hostile value in the file is refused as not a count, not echoed whole
  config.model.iw = '2; rm -rf ~ ' + 'x'.repeat(100);
  writeFileSync(join(dir, 'run', 'config.json'), JSON.stringify(config));
  await assert.rejects(imputeRun(again, { log: () => undefined }), /--resume: .*config\.json records iw "2; rm -rf ~ x{20,30}, not a positive integer$/);
});
