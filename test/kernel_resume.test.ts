// `npm run train -- --resume` runs the kernels the run recorded (kernels.json), whatever TVAE_KERNELS
// or the tuning cache say now: a run that trained its first epoch with subgroup.r32 and resumes
// while both name base ends with the weights, byte for byte, of the run that went on. A run from
// before records resumes on the fallback (and says so), and a hostile kernels.json is one line
// before any adapter starts, the folder untouched. The CLI runs on the Node runtime (lavapipe,
// subgroups of 8) like the other CLI tests: the Chromium side of the record (a fresh profile every
// start) is app_tool's drag-and-drop test; TVAE_TEST_RUNTIME=chromium runs this file there too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/node/project_root.ts';
import type { KernelRecord } from '../src/tune/record.ts';
import { tempDir } from './util/cli.ts';
import { nodeArgs } from './util/compiled.ts';

const dir = tempDir('kernel-resume');
const cache = join(dir, 'cache.json');
const FLAGS = ['--limit', '200', '--valid-limit', '100', '--batch', '50', '--hidden', '16', '--latent', '2', '--model', 't', '--optimizer', 'adam', '--lr', '0.003', '--seed', '5', '--checkpoint-every', '1'];
// in Chromium, SwiftShader: the lavapipe Chromium offers (compatibility mode) has no subgroups
const runtime = process.env.TVAE_TEST_RUNTIME === 'chromium'
  ? { TVAE_RUNTIME: 'chromium', TVAE_CHROMIUM_ADAPTER: process.env.TVAE_CHROMIUM_ADAPTER || 'swiftshader' }
  : { TVAE_RUNTIME: 'node' };

function train(out: string, args: string[], env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, nodeArgs('src/cli/train.ts', [...FLAGS, '--out', out, ...args]), {
    cwd: projectRoot, encoding: 'utf8', timeout: 300_000,
    // every run gets its own cache file: the one a run and its resume share is the point under test
    env: { ...process.env, ...runtime, TVAE_KERNEL_CACHE: cache, TVAE_KERNELS: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(r: ReturnType<typeof train>): string {
  assert.equal(r.code, 0, `train failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

const weights = (out: string) => readFileSync(join(out, 'weights.safetensors'));
const record = (out: string) => JSON.parse(readFileSync(join(out, 'kernels.json'), 'utf8')) as KernelRecord;
/** every file of a folder with its bytes and modification time: "untouched" means all equal */
const snapshot = (out: string) => readdirSync(out).sort().map((n) => [n, readFileSync(join(out, n)).toString('base64'), statSync(join(out, n)).mtimeMs]);

const straight = join(dir, 'straight'), resumed = join(dir, 'resumed'), old = join(dir, 'old');

test('a run resumes with its recorded kernels though TVAE_KERNELS and the cache name others: the weights of the run that went on, byte for byte', () => {
  const r32 = { TVAE_KERNELS: 'subgroup.r32' };
  ok(train(straight, ['--epochs', '2'], r32));
  const first = ok(train(resumed, ['--epochs', '1'], r32));
  assert.match(first, /kernels: gemm_xwt \d+ subgroup\.r32.*; recorded in .*kernels\.json/);
  const rec = record(resumed);
  assert.ok(Object.keys(rec.choices).length >= 6, JSON.stringify(rec));
  assert.ok(Object.values(rec.choices).every((v) => v === 'subgroup.r32'), JSON.stringify(rec));
  assert.deepEqual(record(straight).choices, rec.choices);
  // the cache says base for every shape on this adapter, and so does TVAE_KERNELS
  writeFileSync(cache, JSON.stringify({ version: 1, adapters: { [rec.adapter!]: Object.fromEntries(Object.keys(rec.choices).map((k) => [k, 'base'])) } }));
  cpSync(resumed, old, { recursive: true });
  const log = ok(train(resumed, ['--epochs', '2', '--resume'], { TVAE_KERNELS: 'base' }));
  assert.match(log, /TVAE_KERNELS is ignored on --resume/);
  assert.match(log, /kernels: .*subgroup\.r32.* \(as recorded by the run\); forced from .*kernels\.json/);
  assert.doesNotMatch(log, /kernels: .*\bbase\b/);
  assert.ok(weights(resumed).equals(weights(straight)), 'resumed with the recorded variants: the same bytes');
  assert.deepEqual(record(resumed), rec, 'the record is kept as it was');

  // the same folder without its record (a run from before records): the fallback, said so, and
  // other bytes, which shows the variant is what the comparison above turns on
  rmSync(join(old, 'kernels.json'));
  const oldLog = ok(train(old, ['--epochs', '2', '--resume'], {}));
  assert.match(oldLog, /has no kernels\.json \(trained before runs recorded their kernels\): resuming with each family's fallback variant \(base\)/);
  assert.ok(!weights(old).equals(weights(straight)), 'base for epoch 2 gives other bytes than subgroup.r32');
  assert.ok(Object.values(record(old).choices).every((v) => v === 'base'), 'and its new record says what ran');
});

// (every other hostile shape is in test/kernel_record.test.ts, without a process each)
test('a hostile kernels.json is one line naming the entry, before any adapter starts; the folder is untouched', () => {
  const cases: [unknown, RegExp][] = [
    [{ tvaeKernels: 1, choices: { 'gemm_xwt|50x16x784': 'fast' } }, /kernels\.json: choices\["gemm_xwt\|50x16x784"\] is string "fast", not a gemm_xwt variant/],
    [{ tvaeKernels: 1, choices: ['base'] }, /kernels\.json: choices is a list, expected an object/],
  ];
  for (const [value, re] of cases) {
    writeFileSync(join(resumed, 'kernels.json'), JSON.stringify(value));
    const before = snapshot(resumed);
    const r = train(resumed, ['--epochs', '3', '--resume'], {});
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stdout, /adapter:/, 'refused before the adapter');
    assert.deepEqual(snapshot(resumed), before);
  }
});
