// src/node/child_guard.ts: a guard started before its child kills it when the guarding process
// dies, even if that process dies before it could tell the guard the child's pid (the window
// faults_jobs test 14 once hit: a CLI SIGKILLed while Chromium was starting left it running).
// Here a stand-in child carries the mark on its command line, as Chromium carries its profile.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../src/node/project_root.ts';
import { selfExcluding } from '../src/node/child_guard.ts';
import { tempDir } from './util/cli.ts';

const marked = (mark: string) => readdirSync('/proc').filter((n) => /^\d+$/.test(n)).filter((n) => {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${n}/stat`, 'utf8')) && readFileSync(`/proc/${n}/cmdline`, 'utf8').includes(mark);
  } catch { return false; }
});

test('the pattern matches the mark, not the guard\'s own command line, and escapes regex characters', () => {
  const p = selfExcluding('--user-data-dir=/tmp/a.b+c');
  assert.equal(p, '[-]-user-data-dir=/tmp/a\\.b\\+c');
  const re = new RegExp(p);
  assert.ok(re.test('chromium --user-data-dir=/tmp/a.b+c --type=zygote'));
  assert.ok(!re.test(`sh -c ... tvae-guard ${p}`), 'the guard does not match itself');
  assert.ok(!re.test('--user-data-dir=/tmp/aXb+c'), 'a dot is a dot');
  assert.throws(() => selfExcluding('/tmp/x'), /must start with a word character/);
});

for (const when of ['before it learns the pid', 'after it learns the pid'] as const) {
  test(`a guarded child and its folder go when the guarding process is SIGKILLed ${when}`, { skip: process.platform !== 'linux' && 'needs /proc' }, async () => {
    const dir = join(tempDir('guard'), 'profile');
    mkdirSync(dir);
    const mark = `--user-data-dir=${dir}`;
    // the guarding process: a guard, then a detached child holding the mark, which lives 60 s (the
    // mark passed by environment, so that only the child's command line holds it)
    const code = `
      const { guardChild } = await import(${JSON.stringify(join(projectRoot, 'src/node/child_guard.ts'))});
      const { spawn } = await import('node:child_process');
      const g = guardChild(process.env.MARK, [process.env.DIR]);
      const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '--', process.env.MARK], { detached: true, stdio: 'ignore' });
      c.unref();
      ${when === 'after it learns the pid' ? 'g.watch(c.pid);' : ''}
      console.log('ready');
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: projectRoot, env: { ...process.env, MARK: mark, DIR: dir }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => parent.stdout.on('data', () => resolve()));
    assert.equal(marked(mark).length, 1, `the child runs: ${marked(mark)}`);
    parent.kill('SIGKILL');
    for (let i = 0; i < 100 && (marked(mark).length > 0 || existsSync(dir)); i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(marked(mark), [], 'the child is killed');
    assert.ok(!existsSync(dir), 'its folder is removed');
  });
}
