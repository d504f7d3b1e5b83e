// The one rule that keeps GPU-only kernel variants out of the tuner on CPU adapters
// (src/tune/cpu_adapter.ts), without a GPU: which adapters count as CPUs, and that every family's
// tiled variants are GPU-only while the variants built for CPUs are not. That the tuner applies it
// on a real adapter is test/tune_gpu.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CORE_CAPS } from '../src/gpu/context.ts';
import { adapterCaps, type AdapterDescription } from '../src/gpu/device.ts';
import { GEMM_FAMILIES } from '../src/kernels/gemm.ts';
import { isCpuAdapter, notTunedHere } from '../src/tune/cpu_adapter.ts';

const base: AdapterDescription = {
  vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H200', isFallback: false, isSoftware: false,
  hasTimestampQuery: true, maxBufferSize: 1 << 30, maxStorageBufferBindingSize: 1 << 30, driver: 'gpu', features: ['subgroups'], subgroupSize: 32, maxTextureDimension2D: 16384,
};
const gpu = adapterCaps(base);
const lavapipe = adapterCaps({ ...base, vendor: 'mesa', architecture: '', device: 'llvmpipe', description: 'llvmpipe (LLVM 15.0.6, 256 bits)', isFallback: true, isSoftware: true, driver: 'lavapipe', subgroupSize: 8 });
const swiftshader = adapterCaps({ ...base, vendor: 'google', architecture: 'swiftshader', description: '', isFallback: true, isSoftware: true, driver: 'browser', subgroupSize: 4 });

test('lavapipe and SwiftShader are CPU adapters, a GPU is not', () => {
  assert.equal(isCpuAdapter(lavapipe), true);
  assert.equal(isCpuAdapter(swiftshader), true);
  assert.equal(isCpuAdapter(gpu), false);
  // the name alone decides where the software flag is missing (caps built from a recorded key)
  assert.equal(isCpuAdapter({ ...lavapipe, software: undefined }), true);
  assert.equal(isCpuAdapter({ ...swiftshader, software: false }), true);
  assert.equal(isCpuAdapter({ ...gpu, key: 'microsoft|||Microsoft Basic Render Driver|browser|sg0' }), true);
  // caps that do not say what the adapter is (a context built without its description) count as one
  assert.equal(isCpuAdapter(CORE_CAPS), true);
  // a fallback adapter with a name we do not know is still a CPU (device.ts sets isSoftware)
  assert.equal(isCpuAdapter(adapterCaps({ ...base, description: 'some rasterizer', isFallback: true, isSoftware: true })), true);
});

test('every family: the tiled variants are GPU-only, the others are timed everywhere', () => {
  for (const family of GEMM_FAMILIES) {
    const gpuOnly = family.variants.filter((v) => v.gpuOnly).map((v) => v.name);
    assert.deepEqual(gpuOnly, ['tiled.64', 'tiled.128'], family.name);
    for (const v of family.variants) {
      assert.equal(notTunedHere(v, gpu), undefined, `${family.name} ${v.name} is timed on a GPU`);
      if (v.gpuOnly) assert.match(notTunedHere(v, lavapipe) ?? '', /not timed on a CPU adapter \(TVAE_KERNELS can force it\)/);
      else assert.equal(notTunedHere(v, swiftshader), undefined, `${family.name} ${v.name} is timed on a CPU`);
    }
  }
});
