// The run-folder lock (src/io/lock.ts) and the --out checks (src/io/run_target.ts), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireRunLock, LOCK_NAME } from '../src/io/lock.ts';
import { checkRunTarget, claimRunFolder } from '../src/io/run_target.ts';
import { tempDir } from './util/cli.ts';

const deadPid = () => spawnSync('/bin/true').pid!;

test('the lock holds our pid; a second taker is refused naming the owner; release frees it', () => {
  const dir = tempDir('lock');
  const lock = acquireRunLock(dir);
  assert.equal(readFileSync(join(dir, LOCK_NAME), 'utf8').trim(), String(process.pid));
  assert.throws(() => acquireRunLock(dir), new RegExp(`in use by process ${process.pid}`));
  lock.release();
  lock.release(); // twice is harmless
  assert.ok(!existsSync(join(dir, LOCK_NAME)));
  acquireRunLock(dir).release();
});

test('a lock held by a live process is respected; one whose pid is dead is taken over', async () => {
  const dir = tempDir('lock');
  const other = spawn('sleep', ['30']);
  try {
    writeFileSync(join(dir, LOCK_NAME), `${other.pid}\n`);
    assert.throws(() => acquireRunLock(dir), new RegExp(`in use by process ${other.pid}`));
  } finally {
    other.kill('SIGKILL');
  }
  await new Promise((r) => other.on('close', r));
  const lock = acquireRunLock(dir); // other.pid is dead now
  assert.equal(readFileSync(join(dir, LOCK_NAME), 'utf8').trim(), String(process.pid));
  lock.release();
  writeFileSync(join(dir, LOCK_NAME), ''); // a lock file with no pid (crash while creating it)
  acquireRunLock(dir).release();
  assert.deepEqual(readdirSync(dir), [], 'no stale-lock leftovers');
});

test('release leaves a lock that is no longer ours alone', () => {
  const dir = tempDir('lock');
  const lock = acquireRunLock(dir);
  writeFileSync(join(dir, LOCK_NAME), '1\n'); // taken over meanwhile (pid 1 is alive)
  lock.release();
  assert.equal(readFileSync(join(dir, LOCK_NAME), 'utf8'), '1\n');
});

test('--out checks: a run needs --resume, user files are refused, bookkeeping files are not content', () => {
  const dir = tempDir('target');
  checkRunTarget(join(dir, 'new', 'deeper'), false); // can be created
  assert.throws(() => checkRunTarget(join(dir, 'new'), true), /--resume: run folder .* not found/);
  writeFileSync(join(dir, `${LOCK_NAME}`), '1\n');
  writeFileSync(join(dir, `history.json.tmp-${deadPid()}`), 'x');
  checkRunTarget(dir, false); // only a lock and a temp: empty for our purposes
  assert.throws(() => checkRunTarget(dir, true), /--resume: .* holds no run \(no config\.json\)/);
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  assert.throws(() => checkRunTarget(dir, false), /is not empty and holds no tvae run \(notes\.txt\)/);
  writeFileSync(join(dir, 'config.json'), '{}');
  assert.throws(() => checkRunTarget(dir, false), /holds a run already/);
  checkRunTarget(dir, true);
  writeFileSync(join(dir, 'file'), '');
  assert.throws(() => checkRunTarget(join(dir, 'file'), false), /exists and is not a directory/);
  assert.throws(() => checkRunTarget(join(dir, 'file', 'sub'), false), /is not a directory/);
});

test('claiming creates the folders, sweeps dead writers\' temps, and abandoning removes what it created', () => {
  const base = tempDir('claim');
  const dir = join(base, 'a', 'b');
  const claim = claimRunFolder(dir);
  assert.deepEqual(readdirSync(dir), [LOCK_NAME]);
  claim.abandon();
  assert.deepEqual(readdirSync(base), [], 'a/b removed again');
  mkdirSync(dir, { recursive: true });
  const stale = `weights.safetensors.tmp-${deadPid()}`, live = `weights.safetensors.tmp-${process.pid}`;
  writeFileSync(join(dir, stale), 'x');
  writeFileSync(join(dir, live), 'x');
  const again = claimRunFolder(dir);
  assert.deepEqual(readdirSync(dir).sort(), [LOCK_NAME, live].sort());
  again.abandon();
  assert.ok(existsSync(dir), 'a folder that was there before stays');
  assert.throws(() => claimRunFolder('/proc/tvae-no/such'), /cannot create run folder \/proc\/tvae-no\/such: ENOENT/);
});
