// Fault injection at the job level (issue 20, rows 10-14, 16, 18, 19): `npm start` and the studies
// keep a job in --out that the same command plus --resume continues after Ctrl-C, SIGTERM or
// SIGKILL at any point, refuse folders that are not theirs and places that are not folders, and
// say everything in one line before the adapter starts. The soak test kills one tiny job at four
// points and checks that its report equals the uninterrupted job's, number for number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { acquireRunLock, LOCK_NAME } from '../src/io/lock.ts';
import { readCheckpoint } from '../src/io/run_folder.ts';
import { decodeSafetensors } from '../src/io/safetensors.ts';
import { projectRoot } from '../src/node/project_root.ts';
import { chooseVulkanDriver, vulkanEnv } from '../src/node/vulkan_driver.ts';
import { hasChromium } from '../src/node/chromium_path.ts';
import { PROFILE_PREFIX } from '../src/node/stale_profiles.ts';
import { tmpdir } from 'node:os';
import { tempDir } from './util/cli.ts';
import { nodeArgs } from './util/compiled.ts';
import { smallIdxData } from './util/small_idx.ts';

const MAIN = 'src/cli/main.ts';
// the driver's libraries set here, so the CLI does not relaunch itself: a signal reaches the
// process that does the work
const ENV = { ...process.env, ...vulkanEnv(chooseVulkanDriver()) };
// The soak's job runs on one runtime in every step. Left to choose, the CLI takes Node's runtime
// where no Chromium is found and Chromium otherwise (VK_ICD_FILENAMES set above hides lavapipe from
// its own choice), so the one step that keeps Chromium (for the loss-curve picture) evaluated on
// Chromium's SwiftShader while the others used lavapipe: scores ~1e-6 apart, as two adapters give.
const JOB_ENV = { ...ENV, TVAE_RUNTIME: process.env.TVAE_RUNTIME || 'node' };

interface Stopped { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; killed: boolean }

/** Runs `npm start` with `args`, sends `signal` once a stdout line matches `when` (never when
 *  `when` is undefined), and collects what it printed. */
function startJob(args: string[], when?: RegExp, signal: NodeJS.Signals = 'SIGINT', env: NodeJS.ProcessEnv = ENV): Promise<Stopped> {
  const child = spawn(process.execPath, nodeArgs(MAIN, args), { cwd: projectRoot, env });
  let stdout = '', stderr = '', killed = false, pending = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    pending += d;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    if (when && !killed && lines.some((l) => when.test(l))) {
      killed = true;
      child.kill(signal);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code, sig) => resolve({ code, signal: sig, stdout, stderr, killed })));
}

function runCliEnv(args: string[], env: NodeJS.ProcessEnv, timeout = 120_000) {
  const r = spawnSync(process.execPath, nodeArgs(MAIN, args), { cwd: projectRoot, env, encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const show = (r: Stopped) => `exit ${r.code} ${r.signal}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;

/** The report's tables, less the s/epoch column (wall time, different in every run). */
function tables(out: string): string {
  const rows = readFileSync(join(out, 'report.md'), 'utf8').split('\n').filter((l) => l.startsWith('|'));
  return rows.map((l) => (/ s\/epoch \||^\| [^|]+ \| \d+ \| [\d.]+ \|/.test(l) ? l.replace(/[^|]*\|$/, '') : l)).join('\n');
}

/** The exact resume line an interrupt printed, run as the shell would run it (it is quoted). */
function resumeArgs(stderr: string): string[] {
  const line = /resume with: npm start -- (.*)$/m.exec(stderr)?.[1];
  assert.ok(line, `no resume line in:\n${stderr}`);
  const r = spawnSync('/bin/sh', ['-c', `for a in ${line}; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
  return r.stdout.split('\0').slice(0, -1);
}

test('soak: npm start killed in training, between models, in evaluation and in report writing, resumed each time, reports the uninterrupted numbers', async () => {
  const base = tempDir('soak');
  // a folder of 2,100 random images, not the embedded MNIST: each of the six starts reads and splits
  // a few thousand images instead of 70,000 (2,000 training images leave a validation set of more
  // than the preset's batch of 128); its path, in the printed resume line, is quoted as any other
  const data = smallIdxData(2000, 100, 28);
  const tiny = ['--seeds', '2', '--epochs', '2', '--limit', '200', '--test-limit', '10', '--hidden', '16,8', '--data', data];
  const straightOut = join(base, 'straight'), out = join(base, 'job');
  // the loss-curve picture (a Chromium start) only where it matters: in the run stopped while the
  // report is written; the tables compared do not depend on it
  const noCurves = chooseVulkanDriver().kind === 'lavapipe' ? { ...JOB_ENV, TVAE_CHROMIUM: '/nonexistent/chromium' } : JOB_ENV;
  const straight = await startJob([...tiny, '--out', straightOut], undefined, 'SIGINT', noCurves);
  assert.equal(straight.code, 0, show(straight));

  // 1. Ctrl-C in the first model's training, after its first epoch: its checkpoint is kept
  let r = await startJob([...tiny, '--out', out], /^epoch 1\/2/, 'SIGINT', noCurves);
  assert.ok(r.killed && r.code === 130, show(r));
  assert.match(r.stderr, /gaussian-seed1: keeps epoch 1 of 2 \(checkpoint\)/);
  assert.match(r.stderr, /interrupted \(SIGINT\): .* keeps 0 of 4 models trained, 0 evaluated; resume with: npm start -- /);
  assert.doesNotMatch(r.stderr, /nothing was written/);
  assert.equal(readCheckpoint(join(out, 'gaussian-seed1', 'checkpoint.safetensors')).epoch, 1);
  assert.ok(!existsSync(join(out, LOCK_NAME)), 'the job lock is released');
  const again = resumeArgs(r.stderr);
  assert.deepEqual(again.slice(-3), ['--out', out, '--resume']);

  // 2. SIGTERM between models: the first is finished and says so
  r = await startJob(again, /^final: epoch 2\/2/, 'SIGTERM', noCurves);
  assert.ok(r.killed && r.code === 143, show(r));
  assert.match(r.stdout, /continuing .*gaussian-seed1 from its last checkpoint/);
  assert.match(r.stderr, /interrupted \(SIGTERM\): .* keeps 1 of 4 models trained/);

  // 3. SIGKILL in evaluation (no handler runs: the folder alone must be resumable)
  r = await startJob(again, /^evaluating .*t-nu21-seed1/, 'SIGKILL', noCurves);
  assert.ok(r.killed && r.signal === 'SIGKILL', show(r));
  assert.match(r.stdout, /reused: .*gaussian-seed1 finished training before/);
  assert.ok(existsSync(join(out, LOCK_NAME)), 'SIGKILL leaves its lock, which the next start finds stale');

  // 4. Ctrl-C while the report is written
  r = await startJob(again, /^== writing the report/, 'SIGINT', JOB_ENV);
  assert.ok(r.killed && r.code === 130, show(r));
  assert.match(r.stdout, /reused: the evaluation of Gaussian VAE/);
  assert.match(r.stderr, /keeps 4 of 4 models trained, 4 evaluated; resume with/);

  // 5. to the end: every model and evaluation reused, the same numbers
  r = await startJob(again, undefined, 'SIGINT', noCurves);
  assert.equal(r.code, 0, show(r));
  assert.doesNotMatch(r.stdout, /^evaluating /m, 'nothing evaluated twice');
  // training continued across the stops is bit for bit the uninterrupted training
  for (const run of ['gaussian-seed1', 't-nu21-seed1', 'gaussian-seed2', 't-nu21-seed2']) {
    assert.ok(readFileSync(join(out, run, 'checkpoint.safetensors')).equals(readFileSync(join(straightOut, run, 'checkpoint.safetensors'))), `${run}: same weights`);
  }
  // evaluation is as reproducible as training on one adapter: every kept evaluation was made
  // under the same key (adapter included) and holds the uninterrupted job's scores bit for bit
  const kept = (dir: string, run: string) => decodeSafetensors(new Uint8Array(readFileSync(join(dir, run, 'evaluation.safetensors')))).metadata;
  for (const run of ['gaussian-seed1', 't-nu21-seed1', 'gaussian-seed2', 't-nu21-seed2']) {
    const [a, b] = [kept(out, run), kept(straightOut, run)];
    assert.equal(a.key, b.key, `${run}: evaluated under the same settings and adapter`);
    assert.equal(a.scores, b.scores, `${run}: the same scores, bit for bit`);
  }
  assert.equal(tables(out), tables(straightOut));
  // 16,8 hidden units are not the reference's 400,128: its columns must stay out (issue 22 row 1)
  const md = readFileSync(join(out, 'report.md'), 'utf8');
  assert.match(md, /\| metric \| Gaussian VAE \(2 seeds\) \|/);
  assert.doesNotMatch(md, /reference VAE|reference t-prior/);
  assert.match(r.stdout, /the reference did not measure these models/);
  const job = JSON.parse(readFileSync(join(out, 'job.json'), 'utf8'));
  assert.equal(job.report, true);
  assert.ok(!existsSync(join(out, LOCK_NAME)));
});

test('10: a job folder needs --resume, and --resume refuses other options naming the difference; both before the adapter', () => {
  const out = tempDir('job');
  const manifest = { tvaeJob: 1, study: 'reference', options: { nu: [21], multivariate: false, reference: false, seeds: 2, epochs: '2' }, runs: [{ dir: 'gaussian-seed1', trained: true, evaluated: false }], report: false };
  writeFileSync(join(out, 'job.json'), JSON.stringify(manifest));
  // no browser and no adapter may start: a Chromium that does not exist would fail the probe
  const env = { ...ENV, TVAE_RUNTIME: 'chromium', TVAE_CHROMIUM: '/nonexistent/chromium' };
  let r = runCliEnv(['--seeds', '2', '--epochs', '2', '--out', out], env);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^error: --out .* holds a tvae job already \(job\.json\); continue it with --resume/);
  r = runCliEnv(['--seeds', '2', '--epochs', '3', '--out', out, '--resume'], env);
  assert.match(r.stderr, /^error: --resume: the job in .* was started with --epochs 2, not 3; pass the same options/);
  r = runCliEnv(['--study', 'covariance', '--seeds', '2', '--epochs', '2', '--out', out, '--resume'], env);
  assert.match(r.stderr, /was started with --study reference, not covariance/);
  r = runCliEnv(['--out', join(out, 'none'), '--resume'], env);
  assert.match(r.stderr, /^error: --resume: .*none not found \(no job to continue\)/);
  for (const e of [r]) assert.doesNotMatch(e.stderr, /\n\s+at /, 'no stack trace');
});

test('12: --out holding the user\'s own report.md is refused and left as it was (npm start and a study)', () => {
  const out = tempDir('mine');
  writeFileSync(join(out, 'report.md'), 'my own notes\n');
  for (const study of [[], ['--study', 'covariance'], ['--study', 'latent-size']]) {
    const r = runCliEnv([...study, '--out', out], ENV);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: --out .* is not empty and holds no tvae job \(report\.md\)/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.equal(readFileSync(join(out, 'report.md'), 'utf8'), 'my own notes\n');
  assert.deepEqual(readdirSync(out), ['report.md']);
});

test('13: --out under /proc, /sys, /dev or a file: one line, no hang, no trace, before the adapter', () => {
  const env = { ...ENV, TVAE_RUNTIME: 'chromium', TVAE_CHROMIUM: '/nonexistent/chromium' };
  const studies = [[], ['--study', 'covariance'], ['--study', 'latent-size'], ['--study', 'student-t-cnn', '--sets', 'mnist']];
  for (const [out, why] of [['/proc/x', /under \/proc/], ['/sys/x', /under \/sys/], ['/dev/null', /under \/dev/]] as const) {
    for (const study of out === '/proc/x' ? studies : studies.slice(0, 2)) {
      const r = runCliEnv([...study, '--out', out], env, 30_000);
      assert.equal(r.code, 1, `${study} ${out}: ${r.stderr}`);
      assert.match(r.stderr, why);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  }
});

test('16, 19: --seeds past 32 bits names --seeds; --hidden 100000 is refused before the adapter probe', () => {
  const env = { ...ENV, TVAE_RUNTIME: 'chromium', TVAE_CHROMIUM: '/nonexistent/chromium' };
  let r = runCliEnv(['--seeds', '99999999999', '--out', join(tempDir('seeds'), 'o')], env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--seeds must be at most 4294967295/);
  assert.doesNotMatch(r.stderr, /--seed /);
  r = runCliEnv(['--hidden', '100000', '--out', join(tempDir('hidden'), 'o')], env);
  assert.equal(r.code, 1, r.stderr);
  // the 65,535-workgroup rule needs no device: said before the (failing) Chromium probe
  assert.match(r.stderr, /^error: --hidden 100000 .* more than the 65535 allowed per dimension/);
  assert.doesNotMatch(r.stderr, /Chromium/);
});

test('18: a lock held by a live process that is not a tvae command of this user is reported with its age and how to clear it', async () => {
  const dir = tempDir('reused-pid');
  const other = spawn('sleep', ['30']);
  try {
    writeFileSync(join(dir, LOCK_NAME), `${other.pid}\n`);
    assert.throws(() => acquireRunLock(dir), (e: Error) => {
      assert.match(e.message, new RegExp(`in use by process ${other.pid} according to its lock, but that process is not a tvae command of yours`));
      assert.match(e.message, /the lock is \d+ s old: if no tvae command is working on .*, delete .*\.tvae\.lock and run again/);
      return true;
    });
    // a tvae process (this test runner counts: its argv names a test/*.ts file) is waited for, as before
    writeFileSync(join(dir, LOCK_NAME), `${process.pid}\n`);
    assert.throws(() => acquireRunLock(dir), /wait for it to finish or stop it/);
  } finally {
    other.kill('SIGKILL');
  }
});

test('11: a study stopped by Ctrl-C keeps its checkpoint, releases its locks, prints the resume line, and that line continues it', async () => {
  // on the Node runtime, with far more epochs than the two stops let it train: each signal is sent
  // on an epoch's line and lands mid-run at any speed (the next epoch may finish first)
  const out = join(tempDir('study'), 'cov');
  const args = ['--study', 'covariance', '--sets', 'rotated', '--seeds', '1', '--epochs', '1000', '--limit', '100', '--test-limit', '20', '--out', out];
  const ck = () => readCheckpoint(join(out, 'rotated-diag-seed1', 'checkpoint.safetensors')).epoch;
  let r = await startJob(args, /^epoch 1\/1000/, 'SIGINT', JOB_ENV);
  assert.ok(r.killed && r.code === 130, show(r));
  const first = ck();
  assert.ok(first >= 1, `checkpoint at epoch ${first}`);
  assert.match(r.stderr, new RegExp(`rotated-diag-seed1: keeps epoch ${first} of 1000 \\(checkpoint\\)`));
  assert.match(r.stderr, /interrupted \(SIGINT\): .* keeps 0 of 2 models trained, 0 evaluated; resume with: npm start -- --study covariance .* --resume/);
  assert.ok(!existsSync(join(out, LOCK_NAME)) && !existsSync(join(out, 'rotated-diag-seed1', LOCK_NAME)), 'no stale lock');
  // the printed line is accepted and continues the model from its checkpoint (stopped again there)
  r = await startJob(resumeArgs(r.stderr), new RegExp(`^epoch ${first + 1}/1000`), 'SIGTERM', JOB_ENV);
  assert.ok(r.killed && r.code === 143, show(r));
  assert.match(r.stdout, /continuing .*rotated-diag-seed1 from its last checkpoint/);
  const trained = [...r.stdout.matchAll(/^epoch (\d+)\/1000/gm)].map((m) => Number(m[1]));
  assert.ok(trained.length > 0 && trained[0] === first + 1, `epochs 1..${first} are not trained again: ${trained}`);
  assert.ok(ck() >= first + 1);
  assert.match(r.stderr, new RegExp(`keeps epoch ${ck()} of 1000`));
});

test('14: a CLI SIGKILLed while puppeteer is still starting Chromium leaves no Chromium and no profile behind', { skip: !hasChromium() && 'no Chromium here' }, async () => {
  // the child launches Chromium as every CLI does; the moment a Chromium process with the child's
  // profile shows up in /proc (launch has not resolved: the child has not printed yet), it is killed
  const code = `import('${join(projectRoot, 'src/node/chromium.ts')}').then(async (m) => { await m.launchChromium(); console.log('launched'); setInterval(() => {}, 1000); });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { cwd: projectRoot, env: ENV, stdio: ['ignore', 'pipe', 'inherit'] });
  let launched = false;
  child.stdout.setEncoding('utf8').on('data', () => (launched = true));
  const mark = `${PROFILE_PREFIX}${child.pid}-`;
  let found: number[] = [];
  for (let i = 0; i < 6000 && found.length === 0 && !launched; i++) {
    found = chromiumsWith(mark);
    if (found.length === 0) await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.on('close', r));
  assert.ok(found.length > 0 && !launched, `caught Chromium starting (found ${found.length}, launched ${launched})`);
  // the watchdog notices at once that the CLI is gone; up to 30 s allowed on a loaded machine
  // the guard kills the group first and removes the profile after: wait for both
  const profiles = () => readdirSync(tmpdir()).filter((n) => n.startsWith(mark));
  for (let i = 0; i < 300 && (chromiumsWith(mark).length > 0 || profiles().length > 0); i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(chromiumsWith(mark), [], 'no Chromium process of the killed CLI is left');
  assert.deepEqual(profiles(), [], 'its profile is removed');
});

/** Live processes whose command line holds `mark` (a Chromium profile folder of one CLI). */
function chromiumsWith(mark: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue; // a zombie is dead, waiting for its parent
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(mark)) pids.push(Number(name));
    } catch { /* gone meanwhile */ }
  }
  return pids;
}
