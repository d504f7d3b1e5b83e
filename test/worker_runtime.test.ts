// Choosing where GPU work runs: TVAE_RUNTIME and TVAE_TEST_RUNTIME are checked with one clear
// error, and the plain-Node runtime's shader library (read from disk) holds exactly the WGSL files
// the page bundles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandIncludes } from '../src/gpu/shader_include.ts';
import { readShaderLibrary } from '../src/node/shader_files.ts';
import { projectRoot } from '../src/node/project_root.ts';
import { runtimeFromEnv } from '../src/node/worker.ts';
import { testRuntime } from './util/harness.ts';

test('TVAE_RUNTIME: chromium by default, node on request, anything else refused by name', () => {
  assert.equal(runtimeFromEnv(undefined), 'chromium');
  assert.equal(runtimeFromEnv(''), 'chromium');
  assert.equal(runtimeFromEnv('chromium'), 'chromium');
  assert.equal(runtimeFromEnv('node'), 'node');
  assert.throws(() => runtimeFromEnv('deno'), /TVAE_RUNTIME must be "chromium" .* or "node" .*, got "deno"/);
});

test('the Node runtime reads every shaders/*.wgsl file under its name, its includes expanded', () => {
  const lib = readShaderLibrary();
  const dir = join(projectRoot, 'shaders');
  const files = readdirSync(dir).filter((f) => f.endsWith('.wgsl'));
  const shared = Object.fromEntries(readdirSync(join(dir, 'lib')).filter((f) => f.endsWith('.wgsl')).map((f) => [f.replace(/\.wgsl$/, ''), readFileSync(join(dir, 'lib', f), 'utf8')]));
  assert.deepEqual(Object.keys(lib).sort(), files.map((f) => f.replace(/\.wgsl$/, '')).sort());
  for (const f of files) {
    const name = f.replace(/\.wgsl$/, '');
    assert.equal(lib[name], expandIncludes(name, readFileSync(join(dir, f), 'utf8'), shared));
    assert.doesNotMatch(lib[name], /#include/, name);
  }
  assert.ok(files.includes('gemm_xwt.wgsl') && files.length >= 10);
  assert.ok(Object.keys(shared).length >= 3 && lib.sample_eps.includes('fn philox('));
});

test('TVAE_TEST_RUNTIME: the kernel tests run in Chromium by default, in plain Node on request', () => {
  assert.equal(testRuntime(undefined), 'chromium');
  assert.equal(testRuntime('node'), 'node');
  assert.throws(() => testRuntime('dawn'), /TVAE_TEST_RUNTIME must be "chromium" .* or "node", got "dawn"/);
});
