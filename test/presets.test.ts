// The main job's software-adapter preset: what it trains, that it names itself as not the
// reference settings, and that sizes the user gives win over it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describePreset, presetArgs, SOFTWARE_PRESET } from '../src/train/presets.ts';
import { toTrainOptions, trainCommand } from '../src/cli/train_options.ts';

test('the software preset: Adam, batch 128, one epoch over the whole training split, labelled', () => {
  assert.match(describePreset(SOFTWARE_PRESET), /^software-adapter preset, not the reference settings: Adam lr 0.003, batch 128, 1 epoch on all training images$/);
  const o = toTrainOptions(trainCommand().parse(presetArgs(SOFTWARE_PRESET, {}), { from: 'user' }).opts());
  assert.equal(o.optimizer, 'adam');
  assert.equal(o.lr, 0.003);
  assert.equal(o.batch, 128);
  assert.equal(o.epochs, 1);
  assert.equal(o.limit, undefined);
});

test('--epochs and --limit given to npm start win over the preset', () => {
  const args = [...presetArgs(SOFTWARE_PRESET, { epochs: '3', limit: '1000' }), '--epochs', '3', '--limit', '1000'];
  const o = toTrainOptions(trainCommand().parse(args, { from: 'user' }).opts());
  assert.equal(o.epochs, 3);
  assert.equal(o.limit, 1000);
  assert.equal(presetArgs(SOFTWARE_PRESET, { epochs: '3' }).includes('--epochs'), false);
});
