// Hostile files and hostile places, against `npm run unpack`, `eval`, `kl-check` and `train`: one
// test per file-level row of issue 20's table (rows 1-9, 15, 17). The tars are built by a raw
// writer below, so they can hold the names the project's own writer refuses. Every case is refused
// before a GPU adapter starts, so no test here needs one: each is one CLI process of a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRunFile, runFolderFiles, type RunContent } from '../src/io/run_file.ts';
import { readTar, safeEntryName, writeTar } from '../src/io/tar.ts';
import { shellQuote } from '../src/io/shell_quote.ts';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { projectRoot } from '../src/node/project_root.ts';
import { runCli, tempDir } from './util/cli.ts';
import { rawHeader } from './util/raw_tar.ts';
import { fakeRunContent, oneLine } from './util/run_content.ts';

const UNPACK = 'src/cli/unpack.ts';
const enc = new TextEncoder();


/** A ustar writer with no rules: any name, GNU long-name records ('L') for names over 100 bytes. */
function rawTar(entries: { name: string; data: Uint8Array }[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  const header = (name: string, size: number, type: string) => { blocks.push(rawHeader(name, size, type)); };
  const body = (d: Uint8Array) => {
    const b = new Uint8Array(Math.ceil(d.length / 512) * 512);
    b.set(d);
    blocks.push(b);
  };
  for (const e of entries) {
    if (enc.encode(e.name).length > 100) {
      const long = enc.encode(e.name + '\0');
      header('././@LongLink', long.length, 'L');
      body(long);
    }
    header(e.name, e.data.length, '0');
    body(e.data);
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

const mnistConfig: VaeConfig = {
  shape: { encoder: [784, 8], latent: 2, decoder: [8, 784] },
  prior: { kind: 'gaussian' }, multivariate: false, batch: 100, optimizer: { kind: 'sgd', lr: 0.01 }, seed: 3,
};
const pointsConfig: VaeConfig = {
  shape: { encoder: [2, 8], latent: 2, decoder: [8, 2] },
  prior: { kind: 'gaussian' }, multivariate: false, likelihood: { kind: 'gaussian', variance: 'learned' },
  batch: 32, optimizer: { kind: 'adam', lr: 0.001 }, seed: 1,
};

/** A made-up run of `config` (test/util/run_content.ts), on `source` when given. */
const content = (config: VaeConfig, source?: string): RunContent => fakeRunContent(config, source ? { source } : {});

/** The run's files under `prefix` (no prefix: at the archive's top). */
const entriesUnder = (prefix: string, c = content(mnistConfig)) =>
  Object.entries(runFolderFiles(c, 'x')).map(([name, data]) => ({ name: prefix ? `${prefix}/${name}` : name, data }));

function writeRunTar(dir: string, entries: { name: string; data: Uint8Array }[]): string {
  const file = join(dir, `run-${Math.random().toString(36).slice(2)}.tar`);
  writeFileSync(file, rawTar(entries));
  return file;
}


test('row 1: entries named ../, a/../../, a GNU long name ../../ or a path to a victim folder are refused, nothing is written outside --out (or anywhere)', () => {
  const work = tempDir('escape');
  const out = join(work, 'a', 'b', 'D');
  const victim = join(work, 'victim');
  mkdirSync(victim);
  writeFileSync(join(victim, 'weights.safetensors'), 'the user\'s own weights');
  const cases = [
    '../../escape',
    'a/../../../x',
    '../../' + 'y'.repeat(120),
    '../'.repeat(12) + victim.slice(1),
  ];
  for (const prefix of cases) {
    const file = writeRunTar(work, entriesUnder(prefix));
    const r = runCli(UNPACK, [file, '--out', out]);
    oneLine(r, /entry name .* has a '\.\.' segment: refused/);
    // the page's loader reads the same bytes with the same rule
    assert.throws(() => readRunFile([{ name: 'x.tar', bytes: readFileSync(file) }]), /has a '\.\.' segment/);
  }
  assert.deepEqual(readdirSync(work).filter((n) => !n.endsWith('.tar')).sort(), ['victim']);
  assert.equal(readFileSync(join(victim, 'weights.safetensors'), 'utf8'), 'the user\'s own weights');
  // one rule for reading and writing: the writer refuses what the reader refuses
  for (const bad of ['/etc/x', '../x', 'a//b', 'a/', 'a\\b']) {
    assert.throws(() => writeTar([{ name: bad, data: new Uint8Array(1) }]), /refused/, bad);
    assert.throws(() => readTar(rawTar([{ name: bad, data: new Uint8Array(1) }])), /refused/, bad);
  }
  assert.equal(safeEntryName('./a/./b', 't'), 'a/b');
});

test('row 2: a folder named r$(touch …) and a data path with "; touch …" reach every printed and stored command line quoted', () => {
  const work = tempDir('quote');
  const dir = 'r$(touch pwned2)';
  const data = 'x; touch pwned #';
  const file = writeRunTar(work, entriesUnder(dir, content(mnistConfig, data)));
  const r = runCli(UNPACK, [file, '--out', join(work, 'out')]);
  assert.equal(r.code, 0, r.stderr);
  const target = join(work, 'out', dir);
  const stored = (JSON.parse(readFileSync(join(target, 'config.json'), 'utf8')) as { resumeCommand: string }).resumeCommand;
  const lines = [r.stdout.match(/continue with: (.*)/)![1], r.stdout.match(/evaluate with: (.*)/)![1], stored];
  for (const line of lines) {
    // what a shell makes of the pasted line: printf in place of npm, each word on its own
    const argv = execFileSync('sh', ['-c', line.replace(/^npm run \S+ --/, "printf '%s\\n'")], { cwd: work, encoding: 'utf8' }).split('\n').slice(0, -1);
    assert.ok(argv.includes(target), `${target} is one word of ${JSON.stringify(argv)}`);
    if (!line.includes('npm run eval')) assert.equal(argv[argv.indexOf('--data') + 1], data);
  }
  assert.ok(!existsSync(join(work, 'pwned')) && !existsSync(join(work, 'pwned2')), 'nothing in the lines ran');
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
});

test('row 3: unpack into a folder holding the user\'s history.csv and weights.safetensors is refused and leaves them as they were', () => {
  const work = tempDir('own');
  const out = join(work, 'mine');
  mkdirSync(join(out, 'm'), { recursive: true });
  for (const d of [out, join(out, 'm')]) {
    writeFileSync(join(d, 'history.csv'), 'epoch\n1\n');
    writeFileSync(join(d, 'weights.safetensors'), 'mine');
  }
  oneLine(runCli(UNPACK, [writeRunTar(work, entriesUnder('')), '--out', out]), /mine is not empty \(history\.csv, m, weights\.safetensors\).*nothing of yours is overwritten/);
  oneLine(runCli(UNPACK, [writeRunTar(work, entriesUnder('m')), '--out', out]), /mine\/m is not empty/);
  for (const d of [out, join(out, 'm')]) {
    assert.equal(readFileSync(join(d, 'weights.safetensors'), 'utf8'), 'mine');
    assert.equal(readFileSync(join(d, 'history.csv'), 'utf8'), 'epoch\n1\n');
  }
  assert.deepEqual(readdirSync(out).sort(), ['history.csv', 'm', 'weights.safetensors']);
});

test('rows 4 and 5: --out under /proc, /sys or /dev, or on a read-only mount: one line, no hang', () => {
  const work = tempDir('places');
  const file = writeRunTar(work, entriesUnder('m'));
  // a hang would be killed by the timeout and fail the exit-code check
  oneLine(runCli(UNPACK, [file, '--out', '/proc/x'], 60_000), /--out \/proc\/x is under \/proc, a system folder/);
  oneLine(runCli(UNPACK, [file, '--out', '/dev/null'], 60_000), /--out \/dev\/null is under \/dev/);
  oneLine(runCli(UNPACK, [file, '--out', '/sys/x'], 60_000), /--out \/sys\/x is under \/sys/);
  oneLine(runCli(UNPACK, [file, '--out', join(file, 'x')], 60_000), /run-.*\.tar is not a directory/);
  const ro = join(work, 'ro');
  mkdirSync(ro);
  withMount(ro, 'ro,size=64k', () => {
    oneLine(runCli(UNPACK, [file, '--out', join(ro, 'x')], 60_000), /cannot create it, .*ro is on a read-only file system/);
  });
});

test('row 6: unpack of a folder or of a 3 GB (sparse) file: one line, the file is never read', () => {
  const work = tempDir('big');
  oneLine(runCli(UNPACK, [work, '--out', join(work, 'o')]), /is a folder, not a run file/);
  const big = join(work, 'big.tar');
  writeFileSync(big, '');
  truncateSync(big, 3 * 2 ** 30);
  oneLine(runCli(UNPACK, [big, '--out', join(work, 'o')]), /big\.tar is 3221225472 bytes, larger than a run file can be/);
  assert.ok(!existsSync(join(work, 'o')));
});

/** Runs `body` with a tmpfs mounted on `dir` (the tests run as root in CI's container). */
function withMount(dir: string, options: string, body: (remount: (o: string) => void) => void): void {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, `this test needs to mount a small tmpfs (root): ${r.stderr}`);
  try {
    body((o) => execFileSync('mount', ['-o', `remount,${o}`, dir]));
  } finally {
    execFileSync('umount', [dir]);
  }
}

test('row 7: unpack onto a full disk leaves nothing behind, and the same command works once there is room', () => {
  const work = tempDir('full');
  const file = writeRunTar(work, [...entriesUnder('m'), ...entriesUnder('n')]);
  const disk = join(work, 'disk');
  mkdirSync(disk);
  withMount(disk, 'size=64k', (remount) => {
    const r = runCli(UNPACK, [file, '--out', join(disk, 'runs')]);
    oneLine(r, /cannot write .*disk\/runs\/[mn]: .*(ENOSPC|no space left).*nothing was left behind/i);
    assert.deepEqual(readdirSync(disk), [], 'no half-made folder, no staging folder');
    remount('size=8m');
    const again = runCli(UNPACK, [file, '--out', join(disk, 'runs')]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(readdirSync(join(disk, 'runs')).sort(), ['m', 'n']);
    assert.deepEqual(readdirSync(join(disk, 'runs', 'm')).sort(), ['checkpoint.safetensors', 'config.json', 'history.csv', 'history.json', 'weights.safetensors']);
  });
});

test('row 8: runs under a/ and a// are refused (an empty segment), nothing is written', () => {
  const work = tempDir('slash');
  const out = join(work, 'o');
  oneLine(runCli(UNPACK, [writeRunTar(work, [...entriesUnder('a'), ...entriesUnder('a/')]), '--out', out]), /entry name "a\/\/config\.json" has an empty segment/);
  // two spellings of one file ('./' is dropped) are refused too, rather than one overwriting the other
  oneLine(runCli(UNPACK, [writeRunTar(work, [...entriesUnder('a'), ...entriesUnder('./a')]), '--out', out]), /two entries name "a\/config\.json"/);
  assert.ok(!existsSync(out));
});

/** A run of the synthetic figure-8 set, unpacked (no GPU needed): its folder and resume argv. */
function pointsRun(work: string): { dir: string; resume: string[] } {
  const r = runCli(UNPACK, [writeRunTar(work, entriesUnder('p', content(pointsConfig, 'synthetic:figure8'))), '--out', join(work, 'runs')]);
  assert.equal(r.code, 0, r.stderr);
  const line = r.stdout.match(/continue with: npm run train -- (.*)/)![1];
  const resume = execFileSync('sh', ['-c', `printf '%s\\n' ${line}`], { encoding: 'utf8' }).split('\n').slice(0, -1);
  return { dir: join(work, 'runs', 'p'), resume };
}

test('row 9: history.json of the wrong shape is one line naming the file, for eval, kl-check and train --resume, before the adapter starts', () => {
  const work = tempDir('history');
  const { dir, resume } = pointsRun(work);
  writeFileSync(join(dir, 'history.json'), '{"a":1}');
  const named = new RegExp(`${dir}/history\\.json is not a list of epochs \\(it holds an object\\)`);
  oneLine(runCli('src/cli/eval.ts', ['--run', dir]), named);
  oneLine(runCli('src/cli/kl_check.ts', ['--run', dir]), named);
  oneLine(runCli('src/cli/train.ts', resume), named);
  writeFileSync(join(dir, 'history.json'), '[{"epoch":1,"trainLoss":"9"}]');
  oneLine(runCli('src/cli/eval.ts', ['--run', dir]), /history\.json: epoch 1 has trainLoss string "9", not a finite number/);
  // and config.json values are checked for type before use
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { model: { batch: unknown } };
  cfg.model.batch = '32; rm -rf ~';
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
  for (const cli of ['src/cli/eval.ts', 'src/cli/kl_check.ts']) oneLine(runCli(cli, ['--run', dir]), /config\.json: model\.batch is string "32; rm -rf ~", expected a positive integer/);
  oneLine(runCli('src/cli/train.ts', resume), /config\.json: model\.batch is string "32; rm -rf ~"/);
  writeFileSync(join(dir, 'config.json'), 'null');
  oneLine(runCli('src/cli/train.ts', resume), /config\.json is not a tvae run configuration \(it holds null\)/);
});

test('row 15: --net cnn --channels 4,4 --kernel 1000 names the kernel as what is wrong', () => {
  const out = join(tempDir('kernel'), 'run');
  const r = runCli('src/cli/train.ts', ['--net', 'cnn', '--channels', '4,4', '--kernel', '1000', '--out', out]);
  oneLine(r, /kernel 1000x1000 \(--kernel\) is larger than the 28x28 input images \(padded by 499 to 1026x1026\).*at most 28/);
  assert.doesNotMatch(r.stderr, /fewer channels/);
  assert.ok(!existsSync(out));
});

test('row 17: npm run eval on a synthetic:figure8 run says synthetic runs have no imputation protocol', () => {
  const { dir } = pointsRun(tempDir('synth'));
  const r = runCli('src/cli/eval.ts', ['--run', dir]);
  oneLine(r, /trained on synthetic:figure8, a synthetic set of 2-D points: the imputation protocol of npm run eval masks image pixels/);
  assert.doesNotMatch(r.stderr, /not found/);
});

test('the page shows loaded names as text: no page module writes HTML from strings', () => {
  const dir = join(projectRoot, 'src', 'page');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length > 10);
  for (const f of files) assert.doesNotMatch(readFileSync(join(dir, f), 'utf8'), /\.innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML|document\.write\(/, f);
});
