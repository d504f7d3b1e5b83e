// Issue 20's remaining hostile-input gaps: the printed resume line carries every option that
// defines a run (a CNN, a Gaussian likelihood, a t prior on points), `train --out` follows the
// shared location rule, config.json's data.dir is checked as a place before it is read, and a
// tar's pax 'path' records pass the same name rule as its ustar names. Every CLI case is refused
// before a GPU adapter starts; the rest is pure, so the file takes seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resumeCommand, runFolderFiles, type RunContent } from '../src/io/run_file.ts';
import { readTar } from '../src/io/tar.ts';
import { trainCommand, toTrainOptions } from '../src/cli/train_options.ts';
import { resumeLine, vaeConfig } from '../src/train/run.ts';
import { runKey } from '../src/train/run_key.ts';
import { defaultCnn } from '../src/parts/network/cnn.ts';
import { DEFAULT_SIZES } from '../src/data/split.ts';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { runCli, tempDir } from './util/cli.ts';
import { rawHeader } from './util/raw_tar.ts';
import { fakeRunContent, oneLine } from './util/run_content.ts';

const enc = new TextEncoder();

const content = (config: VaeConfig, data: Partial<RunContent['data']> = {}): RunContent => fakeRunContent(config, { splitSeed: 7, validImages: 32, ...data });


/** train's own option parser on `args` (no adapter, no disk). */
function parseTrain(args: string[], inputDim = 784) {
  const cmd = trainCommand();
  cmd.parse(args, { from: 'user' });
  return toTrainOptions(cmd.opts(), inputDim);
}

/** A printed line as a POSIX shell splits it into the train arguments. */
const shellWords = (line: string): string[] =>
  execFileSync('sh', ['-c', line.replace(/^npm run train --/, "printf '%s\\n'")], { encoding: 'utf8' }).split('\n').slice(0, -1);

/** The printed line as a shell splits it, parsed by train's own option parser: its key must be the run's. */
function assertResumes(c: RunContent, out: string): void {
  const line = resumeCommand(c, out);
  assert.match(line, /^npm run train -- /);
  const opts = parseTrain(shellWords(line), c.config.shape.encoder[0]);
  // trainRun takes the CNN's image size from the data it loads; the rest comes from the line
  if (opts.cnn) opts.cnn = { ...opts.cnn, image: c.config.net!.image };
  assert.equal(opts.out, out);
  assert.ok(opts.resume);
  assert.equal(opts.epochs, c.epochs + 1);
  if (!c.data.source?.startsWith('synthetic:')) assert.deepEqual(opts.split ?? DEFAULT_SIZES, c.data.sizes);
  assert.deepEqual(vaeConfig(opts), c.config);
  const want = runKey(c.config, c.data.splitSeed, c.data.trainImages, c.data.validImages, c.data.source, c.data.sizes);
  assert.equal(runKey(vaeConfig(opts), opts.splitSeed, opts.limit, opts.validLimit, opts.data, c.data.sizes), want);
  // and the stored line in config.json is the same one
  const stored = JSON.parse(new TextDecoder().decode(runFolderFiles(c, out)['config.json'])) as { resumeCommand: string };
  assert.equal(stored.resumeCommand, line);
}

test('the resume line of a CNN run, a Gaussian-likelihood run and a t-prior run on points parses back to the same configuration and resume key', () => {
  const out = "/tmp/it's a run $(x)";
  const cnn: VaeConfig = {
    shape: { encoder: [784, 16], latent: 3, decoder: [16, 784] },
    prior: { kind: 'gaussian' }, multivariate: false,
    net: { ...defaultCnn(), channels: [4, 8], kernel: 5, stride: 2, pad: 1, slope: 0.2, momentum: 0.05 },
    batch: 50, optimizer: { kind: 'adam', lr: 0.0003 }, seed: 11,
  };
  assertResumes(content(cnn), out);
  const gaussian: VaeConfig = {
    shape: { encoder: [784, 12, 6], latent: 2, decoder: [6, 12, 784] },
    prior: { kind: 'gaussian' }, multivariate: false, posterior: 'full', kl: 'mc',
    likelihood: { kind: 'gaussian', variance: 0.1 }, classes: 10,
    activation: { kind: 'leaky-relu', slope: 0.05 },
    batch: 25, optimizer: { kind: 'sgd', lr: 0.01 }, seed: 5,
  };
  assertResumes(content(gaussian, { source: '/data/fashion mnist', sizes: [50000, 10000, 10000] }), out);
  const points: VaeConfig = {
    shape: { encoder: [2, 8], latent: 2, decoder: [8, 2] },
    prior: { kind: 't', nu: 3.5 }, multivariate: true, likelihood: { kind: 'gaussian', variance: 'learned' },
    batch: 32, optimizer: { kind: 'adam', lr: 0.001 }, seed: 1,
  };
  assertResumes(content(points, { source: 'synthetic:figure8', sizes: [2000, 500, 500] }), out);
});

test("train's interrupt line (all images, no --limit) and a CNN on a split folder: the same options and key once parsed back", () => {
  const sizes: [number, number, number] = [100, 20, 30];
  const opts = parseTrain(['--net', 'cnn', '--channels', '4,8', '--kernel', '5', '--bn-momentum', '0.2', '--data', '/data/my digits', '--split', sizes.join(','),
    '--likelihood', 'gaussian', '--variance', 'learned', '--epochs', '4', '--out', '/tmp/run $(x)']);
  opts.cnn = { ...opts.cnn!, image: { height: 28, width: 28, channels: 1 } };
  const line = resumeLine(opts, vaeConfig(opts), sizes);
  assert.match(line, /--out '\/tmp\/run \$\(x\)' --resume$/);
  const back = parseTrain(shellWords(line));
  back.cnn = { ...back.cnn!, image: opts.cnn.image };
  assert.ok(back.resume);
  assert.equal(back.limit, undefined);
  assert.equal(back.validLimit, undefined);
  for (const o of [opts, back]) assert.equal(o.epochs, 4);
  const key = (o: typeof opts) => runKey(vaeConfig(o), o.splitSeed, o.limit, o.validLimit, o.data, sizes);
  assert.deepEqual(vaeConfig(back), vaeConfig(opts));
  assert.equal(key(back), key(opts));
  assert.deepEqual(back.split, opts.split);
});

test('train --out under /proc, /sys or /dev, a file, or a read-only mount: one line naming --out, before the adapter', () => {
  const work = tempDir('train-out');
  const file = join(work, 'file');
  writeFileSync(file, 'mine');
  const train = (out: string) => runCli('src/cli/train.ts', ['--out', out, '--epochs', '1'], 60_000);
  oneLine(train('/proc/x'), /--out \/proc\/x is under \/proc, a system folder/);
  oneLine(train('/sys/x'), /--out \/sys\/x is under \/sys/);
  oneLine(train('/dev/null'), /--out \/dev\/null is under \/dev/);
  oneLine(train(file), /--out .*\/file exists and is not a directory/);
  assert.equal(readFileSync(file, 'utf8'), 'mine');
  const ro = join(work, 'ro');
  mkdirSync(ro);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', ro], { encoding: 'utf8' });
  assert.equal(m.status, 0, `this test needs to mount a small tmpfs (root): ${m.stderr}`);
  try {
    oneLine(train(join(ro, 'x')), /--out .*ro\/x: cannot create it, .*ro is on a read-only file system/);
  } finally {
    execFileSync('umount', [ro]);
  }
});

test("config.json's data.dir under /proc, /sys or /dev, or a file, is refused by eval and kl-check with one line naming the value", () => {
  const work = tempDir('data-dir');
  const dir = join(work, 'run');
  mkdirSync(dir);
  const c = content({
    shape: { encoder: [784, 8], latent: 2, decoder: [8, 784] },
    prior: { kind: 'gaussian' }, multivariate: false, batch: 16, optimizer: { kind: 'sgd', lr: 0.01 }, seed: 3,
  });
  for (const [name, bytes] of Object.entries(runFolderFiles(c, dir))) writeFileSync(join(dir, name), bytes);
  const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { data: { dir: string } };
  const withDataDir = (v: string) => writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, data: { ...cfg.data, dir: v } }));
  const file = join(work, 'notes.txt');
  writeFileSync(file, 'x');
  const cases: [string, string, RegExp][] = [
    ['src/cli/eval.ts', '/dev/zero', /config\.json: data\.dir "\/dev\/zero" is under \/dev, a system folder/],
    ['src/cli/kl_check.ts', '/proc/self', /config\.json: data\.dir "\/proc\/self" is under \/proc/],
    ['src/cli/eval.ts', '/sys/kernel', /data\.dir "\/sys\/kernel" is under \/sys/],
    ['src/cli/kl_check.ts', file, /config\.json: data\.dir ".*notes\.txt" is not a folder/],
  ];
  for (const [cli, value, re] of cases) {
    withDataDir(value);
    oneLine(runCli(cli, ['--run', dir], 60_000), re);
  }
});

/** "LENGTH key=value\n", LENGTH counting its own digits. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let len = enc.encode(rest).length;
  len += String(len + String(len).length).length;
  return `${len}${rest}`;
}

/** A tar of one file whose ustar name is `ustarName`, preceded by a pax header of `records`. */
function paxTar(records: string, ustarName: string, data: Uint8Array): Uint8Array {
  const pad = (b: Uint8Array) => {
    const out = new Uint8Array(Math.ceil(b.length / 512) * 512);
    out.set(b);
    return out;
  };
  const body = enc.encode(records);
  const blocks = [rawHeader('PaxHeaders/x', body.length, 'x'), pad(body), rawHeader(ustarName, data.length, '0'), pad(data), new Uint8Array(1024)];
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  blocks.reduce((at, b) => (out.set(b, at), at + b.length), 0);
  return out;
}

test("a pax header's path names the entry (as tar -xf reads it) and passes the same name rule: '..', absolute or malformed is one line", () => {
  const work = tempDir('pax');
  const data = enc.encode('{}');
  // a harmless ustar name hiding a pax path that escapes: refused, by the reader and by unpack
  const escape = paxTar(paxRecord('mtime', '1') + paxRecord('path', '../../evil/config.json'), 'm/config.json', data);
  assert.throws(() => readTar(escape, 'e.tar'), /e\.tar: entry name "\.\.\/\.\.\/evil\/config\.json" has a '\.\.' segment: refused/);
  const file = join(work, 'escape.tar');
  writeFileSync(file, escape);
  oneLine(runCli('src/cli/unpack.ts', [file, '--out', join(work, 'out')], 60_000), /entry name "\.\.\/\.\.\/evil\/config\.json" has a '\.\.' segment/);
  assert.ok(!existsSync(join(work, 'out')) && !existsSync(join(work, '..', 'evil')));
  assert.throws(() => readTar(paxTar(paxRecord('path', '/etc/x'), 'm/x', data)), /is an absolute path: refused/);
  assert.throws(() => readTar(paxTar('12 path=m/x', 'm/x', data), 'b.tar'), /b\.tar: the pax header "PaxHeaders\/x" holds a malformed record at byte 0/);
  // a safe pax path is the name used, the same name GNU tar lists
  const renamed = paxTar(paxRecord('path', 'run/long-name/config.json'), 'junk', data);
  assert.deepEqual(readTar(renamed).map((e) => e.name), ['run/long-name/config.json']);
  const listed = join(work, 'renamed.tar');
  writeFileSync(listed, renamed);
  assert.deepEqual(execFileSync('tar', ['-tf', listed], { encoding: 'utf8' }).trim().split('\n'), ['run/long-name/config.json']);
});
