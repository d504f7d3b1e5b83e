// `npm run train` end to end on the software adapter with small subsets: losses fall for both
// models, a seed reproduces its history exactly, --resume continues the same history, and a
// NaN stops training keeping the last good checkpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { klCheck } from '../src/eval/kl_check.ts';
import { readCheckpoint } from '../src/io/run_folder.ts';
import type { EpochStats } from '../src/train/trainer.ts';
import { runCli, tempDir } from './util/cli.ts';

// the CLIs run on the Node runtime (util/cli.ts); faults.test.ts trains and resumes in Chromium
const SMALL = ['--limit', '2000', '--valid-limit', '500', '--batch', '100', '--hidden', '128,64'];
// where a test checks plumbing (reproducibility, resume), not learning: a few steps of a tiny model
const TINY = ['--limit', '600', '--valid-limit', '200', '--batch', '100', '--hidden', '32,16'];

function train(out: string, extra: string[], size = SMALL): EpochStats[] {
  const r = runCli('src/cli/train.ts', [...size, '--out', out, ...extra]);
  assert.equal(r.code, 0, `train failed:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as EpochStats[];
}

const losses = (h: EpochStats[]) => h.map(({ trainRe, trainKl, validRe, validKl, step }) => ({ trainRe, trainKl, validRe, validKl, step }));

for (const model of [['--model', 'gaussian'], ['--model', 't', '--nu', '21'], ['--model', 't', '--nu', '5', '--multivariate']]) {
  test(`${model.join(' ')}: training and validation loss fall over 4 epochs`, () => {
    const out = join(tempDir('fall'), 'run');
    const h = train(out, [...model, '--epochs', '4', '--lr', '0.01']);
    assert.equal(h.length, 4);
    // the reported KL is the trained model's: the independent oracle replays the last validation
    // noise from the saved weights (t priors: equal to f32 accuracy; Gaussian: its closed form
    // against the Monte-Carlo true KL, within 4 standard errors)
    const c = klCheck(out);
    assert.equal(c.reported, h[3].validKl);
    if (!c.closedForm) assert.ok(Math.abs(c.reported - c.oracleSameNoise) <= 1e-3 + 1e-4 * Math.abs(c.oracleSameNoise), JSON.stringify(c));
    else assert.ok(Math.abs(c.reported - c.trueKl) <= 4 * c.trueKlSe + 1e-3, JSON.stringify(c));
    assert.ok(h[3].trainLoss < h[0].trainLoss - 20, `train loss ${h.map((s) => s.trainLoss.toFixed(1))}`);
    assert.ok(h[3].validLoss < h[0].validLoss - 20, `valid loss ${h.map((s) => s.validLoss.toFixed(1))}`);
    for (const s of h) assert.ok(s.trainKl > 0 || model.includes('t'), 'Gaussian KL is positive');
  });
}

test('the same seed reproduces the same loss history bit for bit; another seed does not', () => {
  const dir = tempDir('seed');
  const a = train(join(dir, 'a'), ['--model', 't', '--epochs', '2', '--seed', '3'], TINY);
  const b = train(join(dir, 'b'), ['--model', 't', '--epochs', '2', '--seed', '3'], TINY);
  const c = train(join(dir, 'c'), ['--model', 't', '--epochs', '2', '--seed', '4'], TINY);
  assert.deepEqual(losses(a), losses(b));
  assert.notDeepEqual(losses(a), losses(c));
});

test('--resume from a checkpoint continues the same history', () => {
  const dir = tempDir('resume');
  for (const optimizer of ['sgd', 'adam']) {
    const extra = ['--model', 't', '--optimizer', optimizer, '--lr', optimizer === 'adam' ? '0.001' : '0.005', '--checkpoint-every', '2'];
    const straight = train(join(dir, `${optimizer}-straight`), [...extra, '--epochs', '4'], TINY);
    train(join(dir, `${optimizer}-resumed`), [...extra, '--epochs', '2'], TINY);
    const resumed = train(join(dir, `${optimizer}-resumed`), [...extra, '--epochs', '4', '--resume'], TINY);
    assert.deepEqual(losses(resumed), losses(straight), optimizer);
  }
});

test('a NaN loss stops training with a clear error and keeps the last good checkpoint', () => {
  const out = join(tempDir('nan'), 'run');
  const r = runCli('src/cli/train.ts', [...TINY, '--out', out, '--epochs', '3', '--lr', '1e6']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /error: the loss became NaN or infinite in epoch 1 .* weights after epoch 0 were kept/);
  const ck = readCheckpoint(join(out, 'checkpoint.safetensors'));
  assert.equal(ck.epoch, 0);
  assert.ok(ck.tensors.params.every(Number.isFinite), 'restored weights are finite');
  assert.ok(ck.tensors.params.some((v) => v !== 0), 'restored weights are the initial ones, not zeros');
  assert.ok(!existsSync(join(out, 'history.json')) || JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')).length === 0);
});
