// resolveSplitSizes (src/data/split.ts): the --split sizes and fractions, and the default split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SIZES, resolveSplitSizes } from '../src/data/split.ts';
import { splitArg } from '../src/cli/arg_parsers.ts';

test('default: the reference 55,000/5,000/10,000 for MNIST, the same proportions of a smaller pool', () => {
  assert.deepEqual(resolveSplitSizes(undefined, 70000), DEFAULT_SIZES);
  assert.deepEqual(resolveSplitSizes(undefined, 80000), DEFAULT_SIZES);
  assert.deepEqual(resolveSplitSizes(undefined, 700), [550, 50, 100]);
});

test('sizes and fractions, each part at least one image, no more than the pool', () => {
  assert.deepEqual(resolveSplitSizes(splitArg('800,100,100'), 1000), [800, 100, 100]);
  assert.deepEqual(resolveSplitSizes(splitArg('0.8,0.1,0.1'), 1000), [800, 100, 100]);
  assert.throws(() => resolveSplitSizes(splitArg('800,100,101'), 1000), /--split 800,100,101 asks for 1001 images but the data has 1000/);
  assert.throws(() => resolveSplitSizes(splitArg('0.98,0.01,0.01'), 50), /--split: the valid part of 50 images is 0 images/);
  assert.throws(() => resolveSplitSizes(undefined, 10), /--split: the valid part of 10 images is 0/);
  assert.throws(() => splitArg('1.5,2,3'), /three sizes \(integers >= 1\) or three fractions/);
  assert.throws(() => splitArg('a,1,1'), /--split entries must be a number, got "a"/);
});
