// src/model/device_fit.ts: dispatch and buffer limits from the shapes alone, naming the flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBufferFit, checkDispatchFit, MAX_WORKGROUPS_PER_DIMENSION } from '../src/model/device_fit.ts';
import { paramLayout } from '../src/model/param_layout.ts';
import { layerShapes, type VaeShape } from '../src/ref/vae.ts';

const shape = (hidden: number[], latent = 10, D = 784): VaeShape => ({ encoder: [D, ...hidden], latent, decoder: [...hidden].reverse().concat(D) });

test('the reference model and batch fit; the optimizer dispatch limit falls between two widths', () => {
  checkDispatchFit(shape([400, 128]), 500);
  checkDispatchFit(shape([400, 128]), MAX_WORKGROUPS_PER_DIMENSION);
  assert.throws(() => checkDispatchFit(shape([400, 128]), MAX_WORKGROUPS_PER_DIMENSION + 1), /--batch 65536 is more than 65535/);
  // 256 vec4 per workgroup: at most 65535 * 1024 floats of parameters
  const groups = (h: number) => Math.ceil(paramLayout(layerShapes(shape([h]))).bytes / 16 / 256);
  let w = 1000;
  while (groups(w + 1000) <= MAX_WORKGROUPS_PER_DIMENSION) w += 1000;
  checkDispatchFit(shape([w]), 100);
  assert.throws(() => checkDispatchFit(shape([w + 1000]), 100), new RegExp(`--hidden ${w + 1000} .* more than the 65535 allowed per dimension`));
});

test('buffers: weights, activations and image sets against the device limits, each naming its flag', () => {
  const lim = (n: number) => ({ maxBufferSize: 2 * n, maxStorageBufferBindingSize: n });
  const s = shape([400, 128]);
  const params = paramLayout(layerShapes(s)).bytes;
  checkBufferFit(s, 500, { train: 55000, valid: 5000 }, lim(2 ** 30));
  assert.throws(() => checkBufferFit(s, 500, { train: 100, valid: 100 }, lim(params - 16)), /--hidden 400,128: the weights need \d+ bytes but this device binds at most/);
  assert.throws(() => checkBufferFit(s, 5000, { train: 100, valid: 100 }, lim(params)), /--batch 5000 with layers up to 784 wide needs 15680000-byte activations/);
  assert.throws(() => checkBufferFit(s, 10, { train: 20000, valid: 100 }, lim(params)), /the training set \(20000 images of 784 pixels\) .* lower --limit/);
  assert.throws(() => checkBufferFit(s, 10, { train: 100, valid: 20000 }, lim(params)), /lower --valid-limit/);
});
