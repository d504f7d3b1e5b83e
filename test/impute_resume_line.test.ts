// `npm run impute`'s resume line is rebuilt from the run's options and shell-quoted: a hostile
// file name, column name or missing marker stays one literal word when the line is pasted into a
// shell (bash runs it here, in an empty folder, and nothing it names gets executed), and the words
// parse back, through the CLI's own parser, to exactly the options of the run (plus --resume).
// The second test runs a tiny imputation with such a file name (MwG asked for) and checks the line
// config.json keeps, and the MwG column of report.md and held_out.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { imputeCommand, toImputeOptions, type ImputeCliOptions } from '../src/cli/impute_options.ts';
import { imputeArgs, imputeResumeLine } from '../src/io/impute_args.ts';
import { imputeRun } from '../src/tables/impute_run.ts';
import { createRng } from '../src/rng.ts';
import { tempDir } from './util/cli.ts';

const parse = (argv: string[]): ImputeCliOptions => toImputeOptions(imputeCommand().parse(argv, { from: 'user' }).opts());

/** The words bash makes of the line's arguments, run in an empty folder that must stay empty. */
function shellWords(line: string): string[] {
  const prefix = 'npm run impute -- ';
  assert.ok(line.startsWith(prefix), line);
  const cwd = tempDir('resume-shell');
  const r = spawnSync('bash', ['-c', `f() { printf '%s\\0' "$@"; }; f ${line.slice(prefix.length)}`], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(cwd), [], 'the line ran something');
  return r.stdout.split('\0').slice(0, -1);
}

const HOSTILE = "x'; touch pwned #$(touch pwned2) `touch pwned3`\n\"q\".csv";

test('impute resume line: hostile names and values are quoted and parse back to the same options', () => {
  const dir = tempDir('resume-line');
  const o = parse([
    '--data', join(dir, HOSTILE), '--out', join(dir, 'out $(id).csv'), '--run', join(dir, "run 'a'"),
    '--types', "$(touch p):categorical,-odd:real,a:b:binary", '--na', '`touch q`', '--na', '-99,n/a',
    '--prior', 't', '--nu', '0.1', '--multivariate', '--epochs', '7', '--seed', '4294967295', '--K', '3', '--multiple', '2',
    '--batch', '5', '--hidden', '9,3', '--latent', '4', '--lr', '0.000123456789', '--holdout', '0.15', '--pseudo-gibbs', '0', '--mwg', '12',
  ]);
  const line = imputeResumeLine(o);
  const words = shellWords(line);
  assert.deepEqual(words, [...imputeArgs(o), '--resume']);
  assert.deepEqual(parse(words), { ...o, resume: true });
  // and the defaults: no flag the user did not need comes back different
  const plain = parse(['--data', join(dir, 'a.csv'), '--out', join(dir, 'b.csv')]);
  assert.deepEqual(parse(shellWords(imputeResumeLine(plain))), { ...plain, resume: true });
});

test('impute run: config.json keeps the quoted resume line; MwG is scored beside pseudo-Gibbs', async () => {
  const dir = join(tempDir('resume-run'), "tab $(x) 'y'");
  mkdirSync(dir);
  const r = createRng(5);
  const rows = Array.from({ length: 40 }, () => {
    const f = r.normal();
    return [r.next() < 0.1 ? '' : f.toFixed(2), (2 * f + r.normal()).toFixed(2), f > 0 ? 'yes' : 'no'].join(',');
  });
  const data = join(dir, HOSTILE);
  writeFileSync(data, ['a,b,c', ...rows].join('\n') + '\n');
  const o = parse(['--data', data, '--out', join(dir, 'done.csv'), '--epochs', '2', '--hidden', '8', '--latent', '2', '--batch', '8', '--K', '4', '--pseudo-gibbs', '2', '--mwg', '6']);
  await imputeRun(o, { log: () => undefined });
  const config = JSON.parse(readFileSync(join(o.run, 'config.json'), 'utf8')) as { resumeCommand: string; options: ImputeCliOptions };
  assert.equal(config.resumeCommand, imputeResumeLine(o));
  assert.deepEqual(parse(shellWords(config.resumeCommand)), { ...config.options, resume: true });
  const report = readFileSync(join(o.run, 'report.md'), 'utf8');
  assert.match(report, /\| column \| type \| hidden cells \| VAE \| pseudo-Gibbs \| MwG \| mean\/mode \|/);
  assert.match(report, /\| b \| real \| \d+ \| \d\.\d{3} \| \d\.\d{3} \| \d\.\d{3} \| \d\.\d{3} \|/);
  assert.match(report, /Metropolis-within-Gibbs \(6 iterations, the average of the last 3, the same model; acceptance \d+\.\d%\)/);
  const held = JSON.parse(readFileSync(join(o.run, 'held_out.json'), 'utf8')) as { vae: { column: string }[]; mwg: { column: string; error: number }[]; mwgAcceptance: number };
  assert.deepEqual(held.mwg.map((h) => h.column), held.vae.map((h) => h.column));
  assert.ok(held.mwg.every((h) => Number.isFinite(h.error)) && held.mwgAcceptance >= 0 && held.mwgAcceptance <= 1);
});
