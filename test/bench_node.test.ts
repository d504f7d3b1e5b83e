// `npm run bench -- --quick` in the Node runtime (TVAE_RUNTIME=node: the bench's page code called
// in-process through Dawn, on the project-local lavapipe): the same seven sections as in Chromium,
// TF.js's WebGPU backend beside ours, the PyTorch peer merged (or the reason it is missing), and
// every number finite and positive. Never a speed check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badNumbers } from '../bench/format.ts';
import { mayBeZero, type BenchResults } from '../bench/results_types.ts';
import { projectRoot } from '../src/node/project_root.ts';
import { LAVAPIPE_ICD } from '../src/node/vulkan_driver.ts';
import { assertCnnSections } from './util/bench_cnn.ts';
import { nodeArgs } from './util/compiled.ts';
import { assertJaxPeers } from './util/bench_peers.ts';
import { tempDir } from './util/cli.ts';

function benchNode(args: string[], out: string, extraEnv: NodeJS.ProcessEnv = {}) {
  assert.ok(existsSync(LAVAPIPE_ICD), `${LAVAPIPE_ICD} is missing: run bash scripts/setup.sh`);
  const env: NodeJS.ProcessEnv = { ...process.env, TVAE_RUNTIME: 'node', TVAE_ADAPTER: 'lavapipe', ...extraEnv };
  delete env.LD_LIBRARY_PATH; // the bench relaunches itself with lavapipe's libraries
  return spawnSync(process.execPath, nodeArgs('bench/run.ts', ['--quick', ...args, '--out', out]), { cwd: projectRoot, env, encoding: 'utf8', timeout: 180_000 });
}

test('bench --quick in the Node runtime: all sections, TF.js in Node, PyTorch peer merged, only finite positive numbers', () => {
  const out = tempDir('bench-node');
  const r = benchNode([], out);
  assert.equal(r.status, 0, `bench failed:\n${r.stderr.slice(-3000)}`);
  const res = JSON.parse(readFileSync(join(out, 'bench-quick.json'), 'utf8')) as BenchResults;
  assert.deepEqual(badNumbers(res, mayBeZero), []);
  assert.equal(res.meta.runtime, 'node');
  assert.match(`${res.meta.adapter.vendor} ${res.meta.adapter.architecture} ${res.meta.adapter.description}`, /llvmpipe/);
  assert.equal(res.meta.tf.backend, 'webgpu', 'TF.js runs its WebGPU backend in Node too');
  assert.equal(res.profile.length, 2);
  assert.equal(res.gemm.length, 17);
  assert.deepEqual(res.e2e.map((e) => e.model), ['gaussian', 't']);
  assert.ok(res.e2e.every((e) => e.tf !== undefined && e.tf.stepMs > 0 && e.ours.stepMs > 0));
  assert.ok(res.scaling.length >= 3);
  assertCnnSections(res, true);
  assert.equal(res.pytorch.peer, 'pytorch');
  if (!res.pytorch.available) assert.match(res.pytorch.reason, /torch not installed|python3/);
  else assert.deepEqual(res.pytorch.models.map((m) => m.model), ['gaussian', 't']);
  const text = readFileSync(join(out, 'bench-quick.md'), 'utf8');
  // jax-js WebAssembly: from the Node runtime, on a page of its own in headless Chromium
  assertJaxPeers(res, text);
  for (const heading of ['## 1.', '## 2.', '## 3.', '### PyTorch peer', '## 4.', '## 5.', '## 6. Conv layers', '## 7. CNN VAE training step']) assert.ok(text.includes(heading), `report lacks ${heading}`);
  assert.match(text, /runtime: plain Node through Dawn/);
});

// Every peer missing at once: TF.js not asked for, no PyTorch script, and no Chromium for jax-js's
// WebAssembly page (which the test above covers; its launch was a third of this run's time).
test('a peer that cannot run is skipped with its reason, and the rest of the bench still reports', () => {
  const out = tempDir('bench-node-notf');
  const r = benchNode(['--no-tf', '--pytorch', '/nonexistent/peer.py'], out, { TVAE_CHROMIUM: '/nonexistent/chromium' });
  assert.equal(r.status, 0, `bench failed:\n${r.stderr.slice(-3000)}`);
  const res = JSON.parse(readFileSync(join(out, 'bench-quick.json'), 'utf8')) as BenchResults;
  assert.deepEqual(badNumbers(res, mayBeZero), []);
  assert.match(res.meta.tf.error ?? '', /not asked for/);
  assert.ok(res.e2e.every((e) => e.tf === undefined && e.ours.stepMs > 0));
  assert.ok(res.gemm.every((g) => g.tfMs === undefined && g.oursMs > 0));
  assertCnnSections(res, false);
  assert.deepEqual(res.pytorch, { peer: 'pytorch', available: false, reason: '/nonexistent/peer.py not found' });
  assert.deepEqual(res.jax.map((j) => [j.device, j.available]), [['webgpu', false], ['wasm', false]]);
  assert.match(res.jax[1].available ? '' : res.jax[1].reason, /^no Chromium here/);
  const text = readFileSync(join(out, 'bench-quick.md'), 'utf8');
  assert.match(text, /TF\.js skipped here: not asked for/);
  assert.match(text, /PyTorch peer skipped: \/nonexistent\/peer\.py not found/);
  assert.match(text, /jax-js WebAssembly \| skipped: no Chromium here/);
});
