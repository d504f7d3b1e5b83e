// The run file (src/io/run_file.ts, src/io/tar.ts): the page's one-file download of a run folder.
// Round trip, byte-level agreement with system tar both ways, the CLI's resume key, and one clear
// message for each way a file can fail to fit (wrong file, corrupt, wrong shape).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeRunFile, readRunFile, runFolderFiles, RUN_FILES, type RunContent } from '../src/io/run_file.ts';
import { readTar, writeTar } from '../src/io/tar.ts';
import { encodeSafetensors } from '../src/io/safetensors.ts';
import { modelLayout } from '../src/parts/model.ts';
import { cliOrder, runKey } from '../src/train/run_key.ts';
import { vaeConfig } from '../src/train/run.ts';
import { toTrainOptions } from '../src/cli/train_options.ts';
import { toVaeConfig, type AppSettings } from '../src/page/app_form.ts';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { tempDir } from './util/cli.ts';

const config: VaeConfig = {
  shape: { encoder: [784, 8], latent: 2, decoder: [8, 784] },
  prior: { kind: 't', nu: 5 },
  multivariate: false,
  batch: 100,
  optimizer: { kind: 'adam', lr: 0.001 },
  seed: 3,
};

function content(c = config): RunContent {
  const n = modelLayout(c).bytes / 4;
  const params = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
  const stats = (e: number) => ({ epoch: e, step: 5 * e, trainRe: 100 - e, trainKl: 3 + e, trainLoss: 103, validRe: 101 - e, validKl: 3.5, validLoss: 104.5 - e, seconds: 0.25 });
  return {
    config: c,
    state: { epoch: 2, step: 10, params, moments: c.optimizer.kind === 'adam' ? [params.map((v) => v / 10), params.map((v) => v * v)] : [] },
    history: [stats(1), stats(2)],
    data: { splitSeed: 0, sizes: [55000, 5000, 10000], trainImages: 500, validImages: 100 },
    epochs: 3,
  };
}

test('a run file round-trips: weights, moments, history, config and one folder per model', () => {
  const a = content(), b = content({ ...config, prior: { kind: 'gaussian' } });
  const back = readRunFile([{ name: 'pair.tar', bytes: encodeRunFile([{ dir: 't', content: a }, { dir: 'gaussian', content: b }]) }]);
  assert.deepEqual(back.map((r) => r.dir), ['t', 'gaussian']);
  assert.deepEqual(back[0].content.state, a.state);
  assert.deepEqual(back[0].content.history, a.history);
  assert.deepEqual(back[0].content.config, a.config);
  assert.deepEqual(back[0].content.data, a.data);
  assert.deepEqual(back[1].content.config.prior, { kind: 'gaussian' });
});

test('system tar unpacks the file into run folders, and a folder tarred by system tar loads back', () => {
  const dir = tempDir('runfile');
  const file = join(dir, 'run.tar');
  writeFileSync(file, encodeRunFile([{ dir: 'm', content: content() }]));
  execFileSync('tar', ['-xf', file, '-C', dir]);
  const files = runFolderFiles(content(), 'm');
  for (const name of RUN_FILES) assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'm', name))), files[name], name);
  // a CLI run folder packed by GNU tar, files at the top ("./config.json")
  const packed = join(dir, 'cli.tar');
  execFileSync('tar', ['-cf', packed, '-C', join(dir, 'm'), '.']);
  const back = readRunFile([{ name: 'cli.tar', bytes: new Uint8Array(readFileSync(packed)) }]);
  assert.equal(back.length, 1);
  assert.deepEqual(back[0].content.state, content().state);
  // and the loose files, picked together
  const loose = readRunFile(['config.json', 'checkpoint.safetensors', 'history.json'].map((n) => ({ name: n, bytes: files[n as (typeof RUN_FILES)[number]] })));
  assert.deepEqual(loose[0].content.history, content().history);
});

test('the key the page writes is the key the CLI computes for the same options', () => {
  const s: AppSettings = { model: 't', data: 'mnist', posterior: 'diag', conditional: false, compare: false, nu: 5, multivariate: true, hidden: [32], latent: 10, batch: 100, lr: 0.005, optimizer: 'sgd', seed: 1, epochs: 2, limit: 500, validLimit: 100 };
  const page = toVaeConfig(s, 784);
  const cli = vaeConfig(toTrainOptions({ model: 't', nu: 5, multivariate: true, hidden: [32], latent: 10, batch: 100, lr: 0.005, optimizer: 'sgd', seed: 1, splitSeed: 0, checkpointEvery: 1, posterior: 'diag', activation: 'relu' }));
  assert.equal(JSON.stringify(cliOrder(page)), JSON.stringify(cli));
  assert.equal(runKey(page, 0, 500, 100, undefined, [55000, 5000, 10000]), JSON.stringify([cli, 0, 500, 100, null]));
  // a different option is a different key
  assert.notEqual(runKey({ ...page, seed: 2 }, 0, 500, 100, undefined, [55000, 5000, 10000]), runKey(page, 0, 500, 100, undefined, [55000, 5000, 10000]));
});

test('a file that does not fit gives one message naming what does not fit', () => {
  const good = encodeRunFile([{ dir: 'm', content: content() }]);
  const fails = (picked: { name: string; bytes: Uint8Array }[], re: RegExp) => assert.throws(() => readRunFile(picked), (e: Error) => e.name === 'TvaeError' && re.test(e.message));
  fails([{ name: 'cat.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) }], /cat\.png holds no tvae run/);
  const flipped = good.slice();
  flipped[3] ^= 0x20; // inside the first header's name
  fails([{ name: 'run.tar', bytes: flipped }], /checksum .* the file is corrupt/);
  fails([{ name: 'run.tar', bytes: good.slice(0, 2000) }], /truncated/);
  // a checkpoint of another architecture under this config
  const other = runFolderFiles(content({ ...config, shape: { encoder: [784, 16], latent: 2, decoder: [16, 784] } }), 'm');
  const mine = runFolderFiles(content(), 'm');
  const mixed = writeTar([{ name: 'm/config.json', data: mine['config.json'] }, { name: 'm/checkpoint.safetensors', data: other['checkpoint.safetensors'] }, { name: 'm/history.json', data: mine['history.json'] }]);
  fails([{ name: 'run.tar', bytes: mixed }], /belongs to another run/);
  const sgd = content({ ...config, optimizer: { kind: 'sgd', lr: 0.01 } });
  const sgdFiles = runFolderFiles(sgd, 'm');
  const key = (JSON.parse(new TextDecoder().decode(sgdFiles['config.json'])) as { resumeKey: string }).resumeKey;
  const badShape = encodeSafetensors({ params: { dtype: 'F32', shape: [100], data: new Float32Array(100) } }, { resumeKey: key, epoch: '2', step: '10' });
  fails([{ name: 'run.tar', bytes: writeTar([{ name: 'config.json', data: sgdFiles['config.json'] }, { name: 'checkpoint.safetensors', data: badShape }]) }], /params holds 100 values but \d+ are needed \(the model 784-8-2 of config\.json\)/);
  const nan = sgd.state.params.slice();
  nan[7] = NaN;
  const nanFiles = runFolderFiles({ ...sgd, state: { ...sgd.state, params: nan } }, 'm');
  fails([{ name: 'run.tar', bytes: writeTar([{ name: 'config.json', data: nanFiles['config.json'] }, { name: 'checkpoint.safetensors', data: nanFiles['checkpoint.safetensors'] }, { name: 'history.json', data: nanFiles['history.json'] }]) }], /non-finite value \(NaN\) at index 7/);
  fails([{ name: 'config.json', bytes: mine['config.json'] }], /checkpoint\.safetensors is missing/);
  fails([{ name: 'config.json', bytes: new TextEncoder().encode('{"model": ') }, { name: 'checkpoint.safetensors', bytes: mine['checkpoint.safetensors'] }], /config\.json is not valid JSON/);
  fails([{ name: 'config.json', bytes: mine['config.json'] }, { name: 'checkpoint.safetensors', bytes: mine['checkpoint.safetensors'] }, { name: 'history.json', bytes: new TextEncoder().encode('[]') }], /history\.json lists 0 of the checkpoint's 2 epochs/);
  const t = readTar(good);
  assert.equal(t.length, RUN_FILES.length);
});
