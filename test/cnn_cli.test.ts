// `npm run train -- --net cnn` end to end on the software adapter with a small subset: the losses
// fall, the reported KL matches the oracle replayed from the saved weights (npm run kl-check), --resume continues the same history bit for bit (the checkpoint carries the batch-norm
// running statistics inside the parameter block, Adam's moments beside it), weights.safetensors
// holds every CNN tensor in PyTorch's layouts, running statistics included, and data the CNN
// cannot take are refused with one error before the run folder exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { klCheck } from '../src/eval/kl_check.ts';
import { decodeSafetensors } from '../src/io/safetensors.ts';
import type { EpochStats } from '../src/train/trainer.ts';
import { runCli, tempDir } from './util/cli.ts';

const CNN = ['--net', 'cnn', '--channels', '8,16,16', '--latent', '3', '--optimizer', 'adam', '--lr', '0.002', '--batch', '64', '--limit', '512', '--valid-limit', '128'];

function train(out: string, extra: string[]): EpochStats[] {
  const r = runCli('src/cli/train.ts', [...CNN, '--out', out, ...extra]);
  assert.equal(r.code, 0, `train failed:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as EpochStats[];
}

const losses = (h: EpochStats[]) => h.map(({ trainRe, trainKl, validRe, validKl, step }) => ({ trainRe, trainKl, validRe, validKl, step }));

test('--net cnn, multivariate t prior: the loss falls, --resume continues the same history, the export has the running statistics', () => {
  const dir = tempDir('cnn');
  const t = ['--model', 't', '--nu', '5', '--multivariate', '--checkpoint-every', '1'];
  const straight = train(join(dir, 'straight'), [...t, '--epochs', '3']);
  assert.ok(straight[2].trainLoss < straight[0].trainLoss - 20, `train loss ${straight.map((s) => s.trainLoss.toFixed(1))}`);
  assert.ok(straight[2].validLoss < straight[0].validLoss - 20, `valid loss ${straight.map((s) => s.validLoss.toFixed(1))}`);
  // the reported validation KL is the trained CNN's: the float64 CNN encoder (batch norm in
  // evaluation mode, running statistics from the checkpoint) and the independent oracle on the
  // replayed noise give the same figure to f32 accuracy
  const c = klCheck(join(dir, 'straight'));
  assert.equal(c.reported, straight[2].validKl);
  assert.ok(Math.abs(c.reported - c.oracleSameNoise) <= 1e-3 + 1e-4 * Math.abs(c.oracleSameNoise), JSON.stringify(c));
  train(join(dir, 'resumed'), [...t, '--epochs', '1']);
  const resumed = train(join(dir, 'resumed'), [...t, '--epochs', '3', '--resume']);
  assert.deepEqual(losses(resumed), losses(straight));
  const w = decodeSafetensors(readFileSync(join(dir, 'straight', 'weights.safetensors')));
  assert.deepEqual(w.tensors['encoder.conv0.weight'].shape, [8, 1, 3, 3]);
  assert.deepEqual(w.tensors['decoder.deconv0.weight'].shape, [16, 16, 3, 3]);
  assert.deepEqual(w.tensors['decoder.deconv2.weight'].shape, [8, 1, 3, 3]);
  assert.deepEqual(w.tensors['encoder.head.weight'].shape, [6, 4 * 4 * 16]);
  const rv = w.tensors['encoder.bn1.running_var'].data as Float32Array, rm = w.tensors['encoder.bn1.running_mean'].data as Float32Array;
  assert.equal(rv.length, 16);
  // trained: the running statistics have moved off their initial 0 and 1
  assert.ok(rm.some((v) => Math.abs(v) > 1e-3) && rv.some((v) => Math.abs(v - 1) > 1e-3), `running mean ${rm.slice(0, 4)}, var ${rv.slice(0, 4)}`);
  const straightW = readFileSync(join(dir, 'straight', 'weights.safetensors'));
  assert.ok(straightW.equals(readFileSync(join(dir, 'resumed', 'weights.safetensors'))), 'a resumed run ends with the same weights, byte for byte');
});

test('--net cnn refuses data and settings it cannot take, before the run folder exists', () => {
  const dir = tempDir('cnn-bad');
  const bad = (args: string[], message: RegExp) => {
    const out = join(dir, `run${Math.random().toString(36).slice(2)}`);
    const r = runCli('src/cli/train.ts', [...CNN, '--epochs', '1', '--out', out, ...args]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').filter((l) => l.startsWith('error')).length, 1, r.stderr);
    assert.ok(!existsSync(join(out, 'config.json')), 'nothing written');
  };
  bad(['--channels', '8,30'], /--channels entries must be positive multiples of 4, got 30/);
  bad(['--data', 'synthetic:figure8'], /--net cnn needs images; --data synthetic:figure8 is a set of 2-D points/);
  bad(['--conditional'], /--conditional is built for the MLP only/);
  bad(['--channels', '4096,4096,4096'], /this device binds at most|workgroups/);
  // non-square images: an IDX folder of 28x27 images
  const idx = join(dir, 'idx27');
  mkdirSync(idx);
  const images = (n: number) => {
    const b = Buffer.alloc(16 + n * 28 * 27);
    b.writeUInt32BE(0x803, 0); b.writeUInt32BE(n, 4); b.writeUInt32BE(28, 8); b.writeUInt32BE(27, 12);
    return b;
  };
  const labels = (n: number) => { const b = Buffer.alloc(8 + n); b.writeUInt32BE(0x801, 0); b.writeUInt32BE(n, 4); return b; };
  writeFileSync(join(idx, 'train-images-idx3-ubyte'), images(1200));
  writeFileSync(join(idx, 'train-labels-idx1-ubyte'), labels(1200));
  writeFileSync(join(idx, 't10k-images-idx3-ubyte'), images(200));
  writeFileSync(join(idx, 't10k-labels-idx1-ubyte'), labels(200));
  bad(['--data', idx, '--split', '1000,200,200'], /cannot map 14x14 back to exactly 28x27|cannot map/);
});
