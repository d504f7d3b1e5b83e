// Checks of the bench's jax-js peers and peer table shared by the Chromium and the Node smoke
// tests (--quick): jax-js WebGPU skipped with its reason (its compiles take minutes on a software
// adapter); jax-js WebAssembly run in headless Chromium on a cross-origin-isolated page, so on
// Web Workers, computing a loss like ours from the same initial weights; its row in the table
// with its ms, ours/peer and the verdict. Never a speed check.
import assert from 'node:assert/strict';
import type { BenchResults } from '../../bench/results_types.ts';

export function assertJaxPeers(res: BenchResults, text: string): void {
  assert.deepEqual(res.jax.map((j) => [j.device, j.available]), [['webgpu', false], ['wasm', true]], JSON.stringify(res.jax));
  const wasm = res.jax[1];
  assert.ok(wasm.available);
  // multi-threaded only where the page was served with COOP + COEP (SharedArrayBuffer exists)
  assert.match(wasm.threads, /^multi-threaded: \d+ workers$/);
  assert.ok(Math.abs(wasm.timing.meanLoss / res.e2e[0].ours.meanLoss - 1) < 0.05, `jax-js's loss is not ours: ${JSON.stringify(wasm)} vs ${res.e2e[0].ours.meanLoss}`);
  assert.ok(text.includes('### Every peer on the reference step'), 'report lacks the peer table');
  assert.match(text, /jax-js WebGPU \| skipped: not in --quick/);
  assert.match(text, /\| jax-js WebAssembly \(multi-threaded: \d+ workers\) \| [\d.]+ \| [\d.]+ \| ours [\d.]+x (faster|slower) \|/);
}
