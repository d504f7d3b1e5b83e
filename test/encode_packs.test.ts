// encodeDispatches (src/gpu/context.ts) runs a `pre` copy (a texture pack, `copyOf` its source
// range) once per call until some dispatch binds an overlapping range of its source where its
// shader may write (a binding WGSL declares read-only does not count, readOnlyBindings); a bind
// group it does not know (not made by bindGroup()) counts as writing everything. Checked on a
// recording pass with stand-in device objects: which dispatches get encoded, in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindGroup, bufferRange, dispatchEncoder, encodeDispatches, noteReadOnlyBindings, readOnlyBindings, type Dispatch, type GpuContext } from '../src/gpu/context.ts';

const buffer = (label: string) => ({ label, size: 4096 }) as unknown as GPUBuffer;
const ctx = { device: { createBindGroup: (d: GPUBindGroupDescriptor) => ({ label: d.label }) } } as unknown as GpuContext;
const pipeline = { label: 'p', getBindGroupLayout: () => ({}) } as unknown as GPUComputePipeline;
const dispatch = (label: string, bound: GPUBufferBinding[], more: Partial<Dispatch> = {}): Dispatch =>
  ({ label, pipeline, bindGroup: bindGroup(ctx, pipeline, bound, label), workgroups: [1, 1, 1], ...more });

function encoded(list: Dispatch[]): string[] {
  const out: string[] = [];
  let group = '';
  const pass = { setPipeline() {}, setBindGroup: (_: number, g: GPUBindGroup) => { group = g.label; }, dispatchWorkgroups: () => out.push(group) };
  encodeDispatches(pass as unknown as GPUComputePassEncoder, list);
  return out;
}

const params = buffer('params'), act = buffer('act');
const w0 = { buffer: params, offset: 0, size: 256 }, w1 = { buffer: params, offset: 256, size: 256 };
const packW0 = dispatch('packW0', [w0], { copyOf: bufferRange(w0) });
const packAct = dispatch('packAct', [{ buffer: act }], { copyOf: bufferRange({ buffer: act }) });
const gemm = (label: string) => dispatch(label, [{ buffer: buffer(`${label}.out`) }], { pre: [packW0, packAct] });

test('a shared pack runs once per encoded list while nothing binds its source', () => {
  assert.deepEqual(encoded([gemm('a'), gemm('b')]), ['packW0', 'packAct', 'a', 'b']);
  // another view of the same buffer (weight 1) does not touch weight 0's range
  assert.deepEqual(encoded([gemm('a'), dispatch('other weight', [w1]), gemm('b')]), ['packW0', 'packAct', 'a', 'other weight', 'b']);
});

test('a pack runs again after a dispatch binds an overlapping range, or a bind group it cannot see', () => {
  assert.deepEqual(encoded([gemm('a'), dispatch('sgd', [{ buffer: params }]), gemm('b')]), ['packW0', 'packAct', 'a', 'sgd', 'packW0', 'b']);
  assert.deepEqual(encoded([gemm('a'), dispatch('writes act', [{ buffer: act, offset: 1024, size: 16 }]), gemm('b')]), ['packW0', 'packAct', 'a', 'writes act', 'packAct', 'b']);
  const unknown: Dispatch = { label: 'unknown', pipeline, bindGroup: { label: 'unknown' } as GPUBindGroup, workgroups: [1, 1, 1] };
  assert.deepEqual(encoded([gemm('a'), unknown, gemm('b')]), ['packW0', 'packAct', 'a', 'unknown', 'packW0', 'packAct', 'b']);
});

// A DispatchEncoder opens compute passes as dispatches need them and runs a pack that has a
// texelCopy as copyBufferToTexture between passes (a pack without one stays a dispatch).
test('through a DispatchEncoder, packs with a texel copy run as copies between compute passes', () => {
  const log: string[] = [];
  let group = '';
  const pass = { setPipeline() {}, setBindGroup: (_: number, g: GPUBindGroup) => { group = g.label; }, dispatchWorkgroups: () => log.push(group), end: () => log.push('end') };
  const encoder = {
    beginComputePass: () => (log.push('begin'), pass),
    copyBufferToTexture: (src: GPUTexelCopyBufferInfo, dst: GPUTexelCopyTextureInfo, size: number[]) =>
      log.push(`copy ${(dst.texture as unknown as { label: string }).label} from ${src.offset} size ${size.join('x')}`),
  } as unknown as GPUCommandEncoder;
  const texture = { label: 'tW0' } as unknown as GPUTexture;
  // 300 texels at offset 256: one whole row of 256, then 44 texels from byte 256 + 4096
  const copyW0 = dispatch('packW0', [w0], { copyOf: bufferRange(w0), texelCopy: { source: params, offset: 256, texels: 300, rowTexels: 256, texture } });
  const a = dispatch('a', [{ buffer: buffer('a.out') }], { pre: [copyW0, packAct] });
  const b = dispatch('b', [{ buffer: buffer('b.out') }], { pre: [copyW0] });
  const passes = dispatchEncoder(encoder);
  encodeDispatches(passes, [a, dispatch('sgd', [{ buffer: params }]), b]);
  passes.end();
  assert.deepEqual(log, [
    'copy tW0 from 256 size 256x1', 'copy tW0 from 4352 size 44x1', 'begin', 'packAct', 'a', 'sgd', 'end',
    'copy tW0 from 256 size 256x1', 'copy tW0 from 4352 size 44x1', 'begin', 'b', 'end',
  ]);
});

test('every encodeDispatches call packs afresh (steps are encoded one call each)', () => {
  const a = gemm('a');
  assert.deepEqual([...encoded([a]), ...encoded([a])], ['packW0', 'packAct', 'a', 'packW0', 'packAct', 'a']);
});

const WGSL = `
// @group(0) @binding(3) var<storage, read> commented: array<f32>;
@group(0) @binding(0) var<uniform> dims: vec4<u32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage> b: array<f32>;
@binding(3) @group(0) var<storage, read_write> c: array<f32>;
@group(1) @binding(4) var<storage, read> other: array<f32>;
@group(0) @binding(5) var t: texture_2d<f32>;
@group(0) @binding(6) var<storage, read> e1: array<f32>;
@group(0) @binding(6) var<storage, read_write> e2: array<f32>;`;

test('readOnlyBindings: uniform, storage read and storage with no access mode; not read_write (in any declaration), comments or group 1', () => {
  assert.deepEqual([...readOnlyBindings(WGSL)].sort(), [0, 1, 2]);
});

test('a dispatch that only reads the source (binding declared read-only) leaves its pack fresh', () => {
  const reader = { label: 'reader', getBindGroupLayout: () => ({}) } as unknown as GPUComputePipeline;
  noteReadOnlyBindings(reader, WGSL);
  const out = { buffer: buffer('loss') };
  const reads = { label: 'reads act', pipeline: reader, bindGroup: bindGroup(ctx, reader, [out, { buffer: act }, out, out], 'reads act'), workgroups: [1, 1, 1] } as Dispatch;
  const writes = { label: 'writes act', pipeline: reader, bindGroup: bindGroup(ctx, reader, [out, out, out, { buffer: act }], 'writes act'), workgroups: [1, 1, 1] } as Dispatch;
  assert.deepEqual(encoded([gemm('a'), reads, gemm('b')]), ['packW0', 'packAct', 'a', 'reads act', 'b']);
  assert.deepEqual(encoded([gemm('a'), writes, gemm('b')]), ['packW0', 'packAct', 'a', 'writes act', 'packAct', 'b']);
});
