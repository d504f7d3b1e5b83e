// A kept evaluation (evaluation.safetensors, reused by a resumed job) is keyed by the adapter too:
// the protocol repeats bit for bit on one adapter only, and a job resumed on another (the soak saw
// Chromium's SwiftShader after Node's lavapipe) must evaluate again, not mix two adapters' numbers
// (~1e-6 apart) in one table. Pure TypeScript and the file system: no adapter starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adapterKey, runFolderEvalCache } from '../src/eval/eval_cache.ts';
import { evalCacheKey, type RunEvaluation } from '../src/eval/run_eval.ts';
import { tempDir } from './util/cli.ts';

const settings = { n: 10, maskSeed: 2024, draws: 30, gibbsRounds: 5, samples: 64, epoch: 2, data: { dir: 'data/mnist', splitSeed: 0 } };
const mesa = { vendor: 'mesa', architecture: '', device: 'llvmpipe', description: 'Mesa 25.0.7 (LLVM 15.0.6)' };
const lavapipe = adapterKey('node', { ...mesa, driver: 'lavapipe' });
const swiftshader = adapterKey('chromium', { vendor: 'google', architecture: 'swiftshader', device: '', description: '' });

function evaluation(v: number): Omit<RunEvaluation, 'run'> {
  const img = new Float32Array([v, v / 3]);
  return {
    scores: { reconstructionMse: v / 7, masks: [] },
    images: { reconstruction: img, samples: img, draws30: img, perMask: [] },
  };
}

test('the adapter key tells runtimes, drivers and driver versions apart', () => {
  assert.equal(lavapipe, adapterKey('node', { ...mesa, driver: 'lavapipe' }));
  assert.notEqual(lavapipe, adapterKey('chromium', { ...mesa, driver: 'lavapipe' }));
  assert.notEqual(lavapipe, adapterKey('node', { ...mesa, driver: 'swiftshader' }));
  assert.notEqual(lavapipe, adapterKey('node', { ...mesa, description: 'Mesa 25.1.0 (LLVM 19.1.7)', driver: 'lavapipe' }));
});

test('the evaluation key names the adapter: equal on one, different on two', () => {
  assert.equal(evalCacheKey(settings, lavapipe), evalCacheKey({ ...settings }, lavapipe));
  assert.notEqual(evalCacheKey(settings, lavapipe), evalCacheKey(settings, swiftshader));
  // and still every protocol setting
  assert.notEqual(evalCacheKey(settings, lavapipe), evalCacheKey({ ...settings, epoch: 3 }, lavapipe));
  // a shorter MwG chain (--mwg-iterations) is another evaluation; the default one (rounds x draws)
  // keeps the key evaluations had before the flag, so those are still reused
  assert.notEqual(evalCacheKey(settings, lavapipe), evalCacheKey({ ...settings, mwgIterations: 10 }, lavapipe));
  assert.equal(evalCacheKey(settings, lavapipe), evalCacheKey({ ...settings, mwgIterations: 150 }, lavapipe));
});

test('an evaluation kept on one adapter is reused there, bit for bit, and not on another', () => {
  const dir = tempDir('evalkey');
  const made = evaluation(0.1);
  runFolderEvalCache.save(dir, evalCacheKey(settings, lavapipe), made);
  const same = runFolderEvalCache.load(dir, evalCacheKey(settings, lavapipe));
  assert.ok(same, 'reused on the adapter that made it');
  assert.equal(JSON.stringify(same.scores), JSON.stringify(made.scores));
  assert.deepEqual([...same.images.reconstruction], [...made.images.reconstruction]);
  assert.equal(runFolderEvalCache.load(dir, evalCacheKey(settings, swiftshader)), undefined, 'evaluated again on another adapter');
});
