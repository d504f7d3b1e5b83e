// `npm run bench:kernels -- --profile` (bench/page/step_profile.ts): encodedOps lists what one
// encodeDispatches call runs, texture packs where they run (shared ones once); the CLI on the
// Node runtime with the texture variants forced prints a row per operation, packs included, and
// totals that add up. Never a speed check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { encodedOps } from '../bench/page/step_profile.ts';
import { bindGroup, bufferRange, type Dispatch, type GpuContext } from '../src/gpu/context.ts';
import { runCli, tempDir } from './util/cli.ts';

const ctx = { device: { createBindGroup: (d: GPUBindGroupDescriptor) => ({ label: d.label }) } } as unknown as GpuContext;
const pipeline = { label: 'p', getBindGroupLayout: () => ({}) } as unknown as GPUComputePipeline;
const buffer = (label: string) => ({ label, size: 4096 }) as unknown as GPUBuffer;
const dispatch = (label: string, bound: GPUBufferBinding[], more: Partial<Dispatch> = {}): Dispatch =>
  ({ label, pipeline, bindGroup: bindGroup(ctx, pipeline, bound, label), workgroups: [1, 1, 1], ...more });

test('encodedOps: each pack where encodeDispatches runs it, as a copy or a dispatch, shared packs once', () => {
  const w = { buffer: buffer('w') }, x = { buffer: buffer('x') };
  const texture = {} as GPUTexture;
  const packW = dispatch('packW', [w], { copyOf: bufferRange(w), texelCopy: { source: w.buffer, offset: 0, texels: 256, rowTexels: 256, texture } });
  const packX = dispatch('packX', [x], { copyOf: bufferRange(x) }); // no texelCopy: stays a dispatch
  const gemm = (label: string) => dispatch(label, [{ buffer: buffer(`${label}.y`) }], { pre: [packW, packX] });
  const ops = encodedOps([gemm('a'), gemm('b'), dispatch('sgd', [w]), gemm('c')]);
  assert.deepEqual(ops.map((d) => d.label), ['packW', 'packX', 'a', 'b', 'sgd', 'packW', 'c']);
  assert.ok(ops.every((d) => (d.pre ?? []).length === 0), 'an operation is timed without its packs');
});

test('bench:kernels --profile --quick with the texture variants: a row per operation, packs apart, totals', () => {
  const r = runCli('bench/kernels.ts', ['--profile', '--quick'], 120_000, {
    env: { TVAE_KERNELS: 'storage.r64', TVAE_KERNEL_CACHE: join(tempDir('profile'), 'kernels.json') },
  });
  assert.equal(r.code, 0, r.stderr.slice(-2000));
  const rows = r.stdout.split('\n').map((l) => /^\s+(\S+)\t(\S+)%\t(\S*)\t(.+)$/.exec(l)).filter((m) => m !== null);
  const packs = rows.filter((m) => m[4].startsWith('  pack ')), gemms = rows.filter((m) => m[4].startsWith('gemm_'));
  assert.equal(gemms.length, 17, 'every GEMM of the quick step');
  assert.ok(packs.length > 0, 'the texture variants pack their inputs');
  for (const m of rows) assert.ok(Number(m[1]) >= 0 && Number.isFinite(Number(m[1])), `bad time in ${m[0]}`);
  const total = (kind: string) => Number(new RegExp(`${kind}: (\\S+) ms \\(\\S+%\\) in (\\d+) operations`).exec(r.stdout)?.[1]);
  const sum = Number(/sum of the operations alone (\S+) ms/.exec(r.stdout)?.[1]);
  assert.ok(Math.abs(total('GEMMs') + total('texture packs') + total('everything else') - sum) < 0.2, r.stdout);
  assert.match(r.stdout, new RegExp(`texture packs: \\S+ ms \\(\\S+%\\) in ${packs.length} operations`));
});
