// What the bench records of the tuner (bench/page/kernel_variants.ts, bench/report_kernels.ts),
// without a GPU: on a GPU it tunes every GEMM of the step, however small (the GPU bundle's figures),
// on a CPU adapter only what training tunes; the report's table keeps each candidate's time, the
// choice, and what was not timed and why; and the JSON's zero-able fields pass the bench's check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchMinWork } from '../bench/page/kernel_variants.ts';
import { stepComparison, tunerTable } from '../bench/report_kernels.ts';
import { mayBeZero } from '../bench/results_types.ts';
import { adapterCaps, type AdapterDescription } from '../src/gpu/device.ts';
import type { GpuContext } from '../src/gpu/context.ts';
import { TUNE_MIN_WORK, type TuneResult } from '../src/tune/measure.ts';

const h200: AdapterDescription = {
  vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H200', isFallback: false, isSoftware: false,
  hasTimestampQuery: true, maxBufferSize: 1 << 30, maxStorageBufferBindingSize: 1 << 30, driver: 'gpu', features: ['subgroups'], subgroupSize: 32, maxTextureDimension2D: 16384,
};
const on = (a: AdapterDescription) => ({ caps: adapterCaps(a) }) as GpuContext;

test('the bench tunes every GEMM on a GPU, and on a CPU adapter what training tunes', () => {
  assert.equal(benchMinWork(on(h200)), 0);
  assert.equal(benchMinWork(on({ ...h200, vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)', isSoftware: true, driver: 'lavapipe' })), TUNE_MIN_WORK);
});

test('the tuner table: each candidate timed, the choice marked, the rest with why', () => {
  const tuned: TuneResult[] = [
    { family: 'gemm_xwt', shape: '500x400x784', chosen: 'tiled.128', ms: { base: 0.05, 'subgroup.r32': 0.09, 'tiled.64': 0.021, 'tiled.128': 0.012 }, excluded: { 'subgroup.r64': 'wrong result: element 3 is 1, the fallback gives 2' } },
    { family: 'gemm_dyw', shape: '500x10x128', chosen: 'base', ms: { base: 0 }, excluded: { 'tiled.64': 'why A', 'tiled.128': 'why A', 'subgroup.r32': 'why B' } },
  ];
  const md = tunerTable(tuned, 0);
  const lines = md.split('\n');
  assert.match(lines[0], /^The tuner's own measurements in this run \(ms per dispatch, best of its rounds; \* its choice, the lowest median over rounds of the time relative to the round's fastest; .*\)\.$/, 'no minWork sentence on a GPU');
  assert.ok(lines.includes('| family | M x N x K | chosen | base | subgroup.r32 | tiled.64 | tiled.128 | not timed (why) |'), md);
  assert.ok(lines.some((l) => /^\| gemm_xwt \| 500x400x784 \| tiled\.128 \| 0\.050 \| 0\.090 \| 0\.021 \| 0\.012 \* \| subgroup\.r64: wrong result: element 3 is 1, the fallback gives 2 \|$/.test(l)), md);
  assert.ok(lines.some((l) => /^\| gemm_dyw \| 500x10x128 \| base \| 0\.000 \* \| - \| - \| - \| tiled\.64, tiled\.128: why A; subgroup\.r32: why B \|$/.test(l)), md);
  assert.match(tunerTable([], TUNE_MIN_WORK), /timed nothing in this run: .* GEMMs with M·N·K under 1048576 keep `base` untimed here, as in training/);
  assert.equal(tunerTable(undefined, undefined), '', 'results from before the record have no table');
});

test('a GPU run\'s zeros (minWork, a rounded tuner time) are not bad numbers; others still are', () => {
  assert.ok(mayBeZero('kernels.minWork') && mayBeZero('kernels.tuned[4].ms.base'));
  assert.ok(!mayBeZero('kernels.variants[4].ms.base') && !mayBeZero('kernels.step.tunedMs'));
});

test('the step comparison states the best times, their ratio and the per-round ratios\' median and range', () => {
  const k = { baseMs: 200, tunedMs: 50, ratios: [4.4, 3.9, 4.1, 3.0, 4.2], kernels: 'gemm_xwt 6 storage.r64' };
  assert.equal(stepComparison(k, 3), 'best of 5 rounds of 3 steps, base and tuned alternated: base kernels 200 ms, tuned 50.0 ms, 4.00x faster; base / tuned per round: median 4.10, range 3.00-4.40');
  // an even count: the mean of the middle two
  assert.match(stepComparison({ ...k, ratios: [3, 5, 4, 6] }, 3), /median 4\.50, range 3\.00-6\.00$/);
  // results recorded before the per-round ratios: the best of 2 rounds, no spread claimed
  assert.equal(stepComparison({ baseMs: 200, tunedMs: 50, kernels: '' }, 3), 'best of 2 rounds of 3 steps, base and tuned alternated: base kernels 200 ms, tuned 50.0 ms, 4.00x faster');
});
