// Timing of prepared dispatches on the page's device. Per-kernel times come from timestamp-query
// (each dispatch in its own compute pass, begin/end written by the GPU) where the device has it;
// otherwise from queue completion (submit one kernel, wait for the queue), which also counts the
// submit overhead and says so. Wall times of whole steps always use queue completion, as a user
// of the trainer experiences them.
import { dispatchEncoder, encodeDispatches, queueDone, type Dispatch, type GpuContext } from '../../src/gpu/context.ts';

export type TimingMethod = 'timestamp-query' | 'queue-completion';

/** Milliseconds per dispatch, averaged over `reps` runs of the whole list in order. */
export async function kernelTimes(ctx: GpuContext, dispatches: readonly Dispatch[], reps: number, method: TimingMethod): Promise<number[]> {
  return method === 'timestamp-query' ? timestampTimes(ctx, dispatches, reps) : queueTimes(ctx, dispatches, reps);
}

async function timestampTimes(ctx: GpuContext, dispatches: readonly Dispatch[], reps: number): Promise<number[]> {
  const { device } = ctx;
  const n = dispatches.length * reps;
  const querySet = device.createQuerySet({ type: 'timestamp', count: 2 * n });
  const resolve = device.createBuffer({ size: 16 * n, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: 16 * n, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  const enc = device.createCommandEncoder();
  for (let r = 0, q = 0; r < reps; r++) {
    for (const d of dispatches) {
      // a GEMM's texture packs run before its timed pass, as the copies the trainer runs (in the
      // pass they would run as the slower pack kernel); untimed here: bench:kernels --profile times them
      const packs = dispatchEncoder(enc);
      encodeDispatches(packs, d.pre ?? []);
      packs.end();
      const pass = enc.beginComputePass({ timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * q, endOfPassWriteIndex: 2 * q + 1 } });
      encodeDispatches(pass, [{ ...d, pre: [] }]);
      pass.end();
      q++;
    }
  }
  enc.resolveQuerySet(querySet, 0, 2 * n, resolve, 0);
  enc.copyBufferToBuffer(resolve, 0, read, 0, 16 * n);
  device.queue.submit([enc.finish()]);
  await ctx.settle(read.mapAsync(GPUMapMode.READ));
  const ns = new BigInt64Array(read.getMappedRange().slice(0));
  read.destroy();
  resolve.destroy();
  querySet.destroy();
  const ms = new Array<number>(dispatches.length).fill(0);
  for (let q = 0; q < n; q++) ms[q % dispatches.length] += Number(ns[2 * q + 1] - ns[2 * q]) / 1e6 / reps;
  return ms;
}

async function queueTimes(ctx: GpuContext, dispatches: readonly Dispatch[], reps: number): Promise<number[]> {
  const ms = new Array<number>(dispatches.length).fill(0);
  for (let r = 0; r < reps; r++) {
    for (const [i, d] of dispatches.entries()) ms[i] += (await wallMs(ctx, [d], 1)) / reps;
  }
  return ms;
}

/** Wall milliseconds to run `dispatches` `reps` times in one pass and one submit, to queue completion. */
export async function wallMs(ctx: GpuContext, dispatches: readonly Dispatch[], reps: number): Promise<number> {
  await queueDone(ctx); // start from an idle queue
  const t0 = performance.now();
  const enc = ctx.device.createCommandEncoder();
  const passes = dispatchEncoder(enc);
  for (let r = 0; r < reps; r++) encodeDispatches(passes, dispatches);
  passes.end();
  ctx.device.queue.submit([enc.finish()]);
  await queueDone(ctx);
  return performance.now() - t0;
}
