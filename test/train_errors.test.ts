// Bad input to `npm run train`: one clear error line, a non-zero exit code, and no run folder
// left behind (or an existing one left untouched).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { requestTvaeDevice } from '../src/gpu/device.ts';
import { runCli, tempDir } from './util/cli.ts';

function idx(magic: number, dims: number[], body: Uint8Array): Uint8Array {
  const head = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  head.setUint32(0, magic);
  dims.forEach((d, i) => head.setUint32(4 + 4 * i, d));
  return new Uint8Array([...new Uint8Array(head.buffer), ...body]);
}

/** A tiny IDX folder (n train, 10 test images of 4x4), optionally broken. */
function dataFolder(opts: { trainLabels?: number; truncate?: boolean; badMagic?: boolean; badLabel?: boolean; labelMagic?: number } = {}): string {
  const dir = tempDir('data');
  const n = 50;
  const images = idx(opts.badMagic ? 0x0803ffff : 0x00000803, [n, 4, 4], new Uint8Array(n * 16).fill(7));
  writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(opts.truncate ? images.subarray(0, images.length - 5) : images));
  const labels = new Uint8Array(opts.trainLabels ?? n);
  if (opts.badLabel) labels[7] = 12;
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx(opts.labelMagic ?? 0x00000801, [opts.trainLabels ?? n], labels));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idx(0x00000803, [10, 4, 4], new Uint8Array(160)));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx(0x00000801, [10], new Uint8Array(10)));
  return dir;
}

const CASES: [string, string[], RegExp][] = [
  ['lr <= 0', ['--lr', '0'], /--lr must be > 0, got 0/],
  ['negative lr', ['--lr=-0.1'], /--lr must be > 0, got -0.1/],
  ['nu <= 0', ['--model', 't', '--nu', '0'], /--nu must be > 0, got 0/],
  ['nu <= 0, multivariate', ['--model', 't', '--multivariate', '--nu=-2'], /--nu must be > 0, got -2/],
  ['--multivariate with the Gaussian prior', ['--model', 'gaussian', '--multivariate'], /--multivariate applies to --model t only/],
  ['a LeakyReLU slope outside (0, 1)', ['--activation', 'leaky-relu', '--slope', '1.5'], /--slope must be in \(0, 1\), got 1.5/],
  ['a full-covariance posterior with the t prior', ['--model', 't', '--posterior', 'full'], /--posterior full needs --model gaussian/],
  ['a Gaussian decoder on byte images without a variance', ['--likelihood', 'gaussian'], /--likelihood gaussian on images needs --variance/],
  ['a bad decoder variance', ['--likelihood', 'gaussian', '--variance', '-1'], /--variance must be a number > 0 or "learned", got "-1"/],
  ['an unknown synthetic set', ['--data', 'synthetic:spiral'], /unknown synthetic data set "spiral" in --data synthetic:spiral/],
  ['a Bernoulli decoder on real-valued data', ['--data', 'synthetic:rotated', '--likelihood', 'bernoulli'], /--data synthetic:rotated is real-valued: it needs --likelihood gaussian/],
  ['epochs < 1', ['--epochs', '0'], /--epochs must be at least 1, got 0/],
  ['unknown model', ['--model', 'laplace'], /argument 'laplace' is invalid.*gaussian, t/],
  ['non-numeric lr', ['--lr', 'fast'], /--lr must be a number, got "fast"/],
  ['batch larger than the set', ['--limit', '300', '--batch', '500', '--epochs', '1'], /--batch 500 is larger than the training set \(300 images\)/],
  ['missing data folder', ['--data', '/nonexistent/mnist'], /data folder \/nonexistent\/mnist not found/],
];

for (const [what, args, message] of CASES) {
  test(`train: ${what} -> one clear error, exit != 0, no run folder`, () => {
    const out = join(tempDir('bad'), 'run');
    const r = runCli('src/cli/train.ts', ['--out', out, ...args]);
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(out), false, 'nothing written');
  });
}

const DATA_CASES: [string, Parameters<typeof dataFolder>[0], RegExp][] = [
  ['truncated IDX', { truncate: true }, /truncated: expected/],
  ['wrong magic', { badMagic: true }, /magic/],
  ['labels/images count mismatch', { trainLabels: 49 }, /50 images but .* 49 labels/],
  ['label >= 10', { badLabel: true }, /train-labels-idx1-ubyte: label 12 at index 7 is not a class 0\.\.9/],
  ['labels file with a wrong magic', { labelMagic: 0x00000901 }, /train-labels-idx1-ubyte.*magic/],
];

for (const [what, broken, message] of DATA_CASES) {
  test(`train --data with a ${what} -> one clear error, no run folder`, () => {
    const out = join(tempDir('bad'), 'run');
    const r = runCli('src/cli/train.ts', ['--out', out, '--data', dataFolder(broken), '--batch', '10', '--epochs', '1']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, message);
    assert.equal(existsSync(out), false);
  });
}

test('train refuses to overwrite an existing run without --resume, leaving it untouched', () => {
  const out = tempDir('existing');
  writeFileSync(join(out, 'config.json'), '{"keep": true}');
  const r = runCli('src/cli/train.ts', ['--out', out, '--limit', '200', '--valid-limit', '100', '--batch', '50', '--epochs', '1', '--hidden', '16']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /already|holds a run/);
  assert.equal(readFileSync(join(out, 'config.json'), 'utf8'), '{"keep": true}');
});

test('train --help prints the options and exits 0', () => {
  const r = runCli('src/cli/train.ts', ['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--model <kind>[\s\S]*--nu <nu>[\s\S]*--multivariate[\s\S]*--limit <n>/);
});

test('no WebGPU: the error says how to enable it', async () => {
  await assert.rejects(requestTvaeDevice(undefined), /WebGPU is not available.*--enable-unsafe-webgpu/);
  const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
  await assert.rejects(requestTvaeDevice(noAdapter), /No WebGPU adapter was found/);
});
