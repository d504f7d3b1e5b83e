// Smoke test of `npm run bench -- --quick`: the bench runs end to end on the adapter, writes its
// JSON and Markdown, and every number it reports is finite and positive; the CNN sections have
// every layer's passes and both priors' steps on both sides; the jax-js peers and the peer table.
// Never a speed check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badNumbers } from '../bench/format.ts';
import { mayBeZero, type BenchResults } from '../bench/results_types.ts';
import { assertCnnSections } from './util/bench_cnn.ts';
import { assertJaxPeers } from './util/bench_peers.ts';
import { runCli, tempDir } from './util/cli.ts';

test('bench --quick runs, writes JSON + Markdown, and reports only finite positive numbers', () => {
  const out = tempDir('bench');
  // in Chromium: the bench's page code in the browser (test/bench_node.test.ts runs it in Node)
  // without the PyTorch peer: it is Python whatever the runtime, and test/bench_node.test.ts runs it
  const r = runCli('bench/run.ts', ['--quick', '--pytorch', 'none', '--out', out], 180_000, { runtime: 'chromium' });
  assert.equal(r.code, 0, `bench failed:\n${r.stderr.slice(-3000)}`);
  const json = join(out, 'bench-quick.json'), md = join(out, 'bench-quick.md');
  assert.ok(existsSync(json) && existsSync(md), 'bench did not write its results');
  const res = JSON.parse(readFileSync(json, 'utf8')) as BenchResults;
  // layer indices start at 0 and two sides may agree exactly; everything else is a time, a rate, a size or a loss
  assert.deepEqual(badNumbers(res, mayBeZero), []);
  assert.ok(res.meta.quick && res.meta.commit.length > 0 && res.meta.adapter.vendor !== undefined);
  assert.equal(res.profile.length, 2);
  assert.ok(['timestamp-query', 'queue-completion'].includes(res.profile[0].profile.method));
  assert.equal(res.gemm.length, 17, 'every GEMM of a 3-layer-encoder step: 6 forward, 6 weight-gradient, 5 input-gradient');
  // the kernel families: the same 17 GEMMs in every variant that fits, base (today's kernel) always
  assert.equal(res.kernels?.variants.length, 17);
  assert.ok(res.kernels!.variants.every((v) => v.ms.base > 0 && v.ms[v.chosen] > 0), 'base and the chosen variant timed for every GEMM');
  assert.match(res.kernels!.step.kernels, /^kernels: gemm_xwt /);
  assert.deepEqual(res.e2e.map((e) => e.model), ['gaussian', 't']);
  assert.ok(res.scaling.length >= 3);
  assertCnnSections(res, true);
  assert.deepEqual(res.pytorch, { peer: 'pytorch', available: false, reason: 'not asked for (--pytorch none)' });
  const epochs = res.memory.smallRun.epochs;
  assert.ok(epochs.length >= 2 && epochs.every((e) => e.liveBytes === epochs[0].liveBytes), 'GPU memory grew across epochs');
  const text = readFileSync(md, 'utf8');
  // jax-js WebAssembly on the bench page itself, served cross-origin isolated
  assertJaxPeers(res, text);
  for (const heading of ['## 1.', '## 2.', '## 3.', '## 4.', '## 5.', '## 6. Conv layers', '## 7. CNN VAE training step']) assert.ok(text.includes(heading), `report lacks section ${heading}`);
});
