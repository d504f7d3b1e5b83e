// Runs single kernels on the page's adapter for the Node tests: inputs come from Node (dense,
// row-major), outputs go back dense plus padded where a test checks that padding stays zero.
import { runDispatches, type GpuContext } from '../../src/gpu/context.ts';
import { allocMatrix, createBuffer, padRows, readBytes, readMatrix, writeMatrix, type GpuMatrix } from '../../src/gpu/matrix.ts';
import { bceSigmoid } from '../../src/kernels/bce.ts';
import { sigmoidAccumulate } from '../../src/kernels/sigmoid_accumulate.ts';
import { gatherBatch, uploadImages } from '../../src/kernels/gather.ts';
import { GEMM_FAMILIES, gemmDytX, gemmDyW, gemmXWt } from '../../src/kernels/gemm.ts';
import { createOptimizer, type OptimizerConfig } from '../../src/kernels/optim.ts';
import { reparamKl, type Prior } from '../../src/kernels/reparam.ts';
import { philoxBits, sampleEps, type NoiseKind } from '../../src/kernels/sampler.ts';
import { createTrainState, lossAccumulate, stepAdvance } from '../../src/kernels/train_state.ts';

export function upload(ctx: GpuContext, rows: number, cols: number, data: ArrayLike<number>, label: string, weight = false): GpuMatrix {
  const m = allocMatrix(ctx, rows, cols, label, weight);
  writeMatrix(ctx, m, data);
  return m;
}

export function kernelProbes(ctx: GpuContext) {
  return {
    async gemmXWt(a: { M: number; N: number; K: number; x: Float32Array; w: Float32Array; b: Float32Array; relu: boolean; slope?: number; variant?: string }) {
      const x = upload(ctx, a.M, a.K, a.x, 'x');
      const w = upload(ctx, a.N, a.K, a.w, 'w', true);
      const b = upload(ctx, 1, a.N, a.b, 'b');
      const y = allocMatrix(ctx, a.M, a.N, 'y');
      runDispatches(ctx, [gemmXWt(ctx, { x, w, b, y, relu: a.relu, slope: a.slope }, a.variant)]);
      return { y: await readMatrix(ctx, y, true) };
    },
    async gemmDyW(a: { M: number; N: number; K: number; dy: Float32Array; w: Float32Array; act?: Float32Array; slope?: number; variant?: string }) {
      const dy = upload(ctx, a.M, a.N, a.dy, 'dy');
      const w = upload(ctx, a.N, a.K, a.w, 'w', true);
      const act = a.act ? upload(ctx, a.M, a.K, a.act, 'act') : undefined;
      const dx = allocMatrix(ctx, a.M, a.K, 'dx');
      runDispatches(ctx, [gemmDyW(ctx, { dy, w, dx, act, slope: a.slope }, a.variant)]);
      return { dx: await readMatrix(ctx, dx, true) };
    },
    async gemmDytX(a: { M: number; N: number; K: number; dy: Float32Array; x: Float32Array; variant?: string }) {
      const dy = upload(ctx, a.M, a.N, a.dy, 'dy');
      const x = upload(ctx, a.M, a.K, a.x, 'x');
      const dw = allocMatrix(ctx, a.N, a.K, 'dw', true);
      const db = allocMatrix(ctx, 1, a.N, 'db');
      runDispatches(ctx, [gemmDytX(ctx, { dy, x, dw, db }, a.variant)]);
      return { dw: await readMatrix(ctx, dw, true), db: await readMatrix(ctx, db) };
    },
    // The three GEMMs in each of `runs` (variant, activation or mask) on one upload of the inputs,
    // each run into a fresh zeroed output: test/gemm.test.ts's inputs cross to a Chromium page
    // (base64) once per shape instead of once per variant and mode, most of its time there.
    async gemmXWtRuns(a: { M: number; N: number; K: number; x: Float32Array; w: Float32Array; b: Float32Array; runs: { variant: string; relu: boolean; slope?: number }[] }) {
      const x = upload(ctx, a.M, a.K, a.x, 'x'), w = upload(ctx, a.N, a.K, a.w, 'w', true), b = upload(ctx, 1, a.N, a.b, 'b');
      const ys: Float32Array[] = [];
      for (const r of a.runs) {
        const y = allocMatrix(ctx, a.M, a.N, 'y');
        runDispatches(ctx, [gemmXWt(ctx, { x, w, b, y, relu: r.relu, slope: r.slope }, r.variant)]);
        ys.push(await readMatrix(ctx, y, true));
      }
      return { ys };
    },
    async gemmDyWRuns(a: { M: number; N: number; K: number; dy: Float32Array; w: Float32Array; act: Float32Array; runs: { variant: string; masked: boolean; slope?: number }[] }) {
      const dy = upload(ctx, a.M, a.N, a.dy, 'dy'), w = upload(ctx, a.N, a.K, a.w, 'w', true), act = upload(ctx, a.M, a.K, a.act, 'act');
      const dxs: Float32Array[] = [];
      for (const r of a.runs) {
        const dx = allocMatrix(ctx, a.M, a.K, 'dx');
        runDispatches(ctx, [gemmDyW(ctx, { dy, w, dx, act: r.masked ? act : undefined, slope: r.slope }, r.variant)]);
        dxs.push(await readMatrix(ctx, dx, true));
      }
      return { dxs };
    },
    async gemmDytXRuns(a: { M: number; N: number; K: number; dy: Float32Array; x: Float32Array; variants: string[] }) {
      const dy = upload(ctx, a.M, a.N, a.dy, 'dy'), x = upload(ctx, a.M, a.K, a.x, 'x');
      const out: { dw: Float32Array; db: Float32Array }[] = [];
      for (const variant of a.variants) {
        const dw = allocMatrix(ctx, a.N, a.K, 'dw', true), db = allocMatrix(ctx, 1, a.N, 'db');
        runDispatches(ctx, [gemmDytX(ctx, { dy, x, dw, db }, variant)]);
        out.push({ dw: await readMatrix(ctx, dw, true), db: await readMatrix(ctx, db) });
      }
      return { out };
    },
    /** One encoded list of gemm_xwt launches in `variant` around an overwrite of their input:
     *  Y1 = X·Wᵀ + b; X = Z·W2ᵀ + b2; Y2 = X·Wᵀ + b; Y3 = X·Wᵀ + b, with W and W2 (both K x K)
     *  views of one buffer at different offsets, as a model's weights are. The reads of X share
     *  X's and W's texture packs, which encodeDispatches runs again only after X is written. */
    async gemmPackReuse(a: { M: number; K: number; x: Float32Array; w: Float32Array; b: Float32Array; z: Float32Array; w2: Float32Array; b2: Float32Array; variant: string }) {
      const { M, K } = a;
      const x = upload(ctx, M, K, a.x, 'x');
      const z = upload(ctx, M, K, a.z, 'z');
      const b = upload(ctx, 1, K, a.b, 'b');
      const b2 = upload(ctx, 1, K, a.b2, 'b2');
      const one = allocMatrix(ctx, 2 * 256, K, 'weights'); // room for two K x K views 256-byte aligned
      const bytes = Math.ceil((Math.ceil(K / 4) * 4 * 4 * Math.ceil(K / 4) * 4) / 256) * 256;
      const view = (i: number, data: Float32Array): GpuMatrix => {
        const m = { ...one, label: `w${i}`, offset: i * bytes, rows: K, allocRows: Math.ceil(K / 4) * 4 };
        ctx.device.queue.writeBuffer(one.buffer, m.offset, padRows(data, K, K));
        return m;
      };
      const w = view(0, a.w), w2 = view(1, a.w2);
      const ys = [1, 2, 3].map((i) => allocMatrix(ctx, M, K, `y${i}`));
      const reads = ys.map((y) => gemmXWt(ctx, { x, w, b, y, relu: false }, a.variant));
      const write = gemmXWt(ctx, { x: z, w: w2, b: b2, y: x, relu: false }, a.variant);
      runDispatches(ctx, [reads[0], write, reads[1], reads[2]]);
      const sharedPacks = reads.every((d) => (d.pre ?? []).length === 2 && d.pre!.every((p, i) => p === reads[0].pre![i]));
      return { y: await Promise.all(ys.map((y) => readMatrix(ctx, y))), x: await readMatrix(ctx, x), sharedPacks };
    },
    /** How many distinct pipelines gemm_xwt's `variants` build at one shape (each its own WGSL). */
    async gemmPipelines(a: { M: number; N: number; K: number; variants: string[] }) {
      const x = allocMatrix(ctx, a.M, a.K, 'x'), w = allocMatrix(ctx, a.N, a.K, 'w', true), b = allocMatrix(ctx, 1, a.N, 'b'), y = allocMatrix(ctx, a.M, a.N, 'y');
      return new Set(a.variants.map((v) => gemmXWt(ctx, { x, w, b, y, relu: false }, v).pipeline)).size;
    },
    /** Every variant of each GEMM family at one shape: applicable here, or why not. */
    async gemmVariants(a: { M: number; N: number; K: number }) {
      return { caps: ctx.caps, families: Object.fromEntries(GEMM_FAMILIES.map((f) => [f.name, f.variants.map((v) => ({ name: v.name, unfit: v.unfit(ctx.caps, a) ?? null, gpuOnly: v.gpuOnly ?? false }))])) };
    },
    /** Builds a kernel from shapes alone so tests can see validation errors; dispatches nothing. */
    async validate(a: { kind: string; shapes: Record<string, [number, number]>; nu?: number }) {
      const m = (k: string, weight = false) => allocMatrix(ctx, a.shapes[k][0], a.shapes[k][1], k, weight);
      if (a.kind === 'gemmXWt') gemmXWt(ctx, { x: m('x'), w: m('w', true), b: m('b'), y: m('y'), relu: false });
      else if (a.kind === 'gemmDyW') gemmDyW(ctx, { dy: m('dy'), w: m('w', true), dx: m('dx'), act: a.shapes.act ? m('act') : undefined });
      else if (a.kind === 'gemmDytX') gemmDytX(ctx, { dy: m('dy'), x: m('x'), dw: m('dw', true), db: m('db') });
      else if (a.kind === 'buffer') allocMatrix(ctx, a.shapes.big[0], a.shapes.big[1], 'big');
      else if (a.kind === 'reparam') {
        reparamKl(ctx, { kind: 't', nu: a.nu ?? 1 }, { h: m('h'), eps: m('eps'), z: m('z'), kl: m('kl'), dz: m('dz'), dh: m('dh') }, 1);
      } else if (a.kind === 'sample') {
        const eps = m('eps');
        sampleEps(ctx, { noise: { kind: 't', nu: a.nu ?? 1 }, seed: 1, M: a.shapes.eps[0], L: a.shapes.eps[1] / a.shapes.eps[0], state: createTrainState(ctx), eps });
      } else throw new Error(`unknown kind ${a.kind}`);
      return 'built';
    },
    async bce(a: { M: number; D: number; logits: Float32Array; x: Float32Array; scale: number }) {
      const logits = upload(ctx, a.M, a.D, a.logits, 'logits');
      const x = upload(ctx, a.M, a.D, a.x, 'x');
      const dLogits = allocMatrix(ctx, a.M, a.D, 'dLogits');
      const rowLoss = allocMatrix(ctx, 1, a.M, 'rowLoss');
      runDispatches(ctx, [bceSigmoid(ctx, { logits, x, dLogits, rowLoss, scale: a.scale })]);
      return { grad: await readMatrix(ctx, dLogits, true), rowLoss: await readMatrix(ctx, rowLoss) };
    },
    async reparam(a: { M: number; L: number; prior: Prior; h: Float32Array; eps: Float32Array; dz: Float32Array; scale: number }) {
      const h = upload(ctx, a.M, 2 * a.L, a.h, 'h');
      const eps = upload(ctx, 1, a.M * a.L, a.eps, 'eps');
      const dz = upload(ctx, a.M, a.L, a.dz, 'dz');
      const z = allocMatrix(ctx, a.M, a.L, 'z');
      const kl = allocMatrix(ctx, 1, a.M, 'kl');
      const dh = allocMatrix(ctx, a.M, 2 * a.L, 'dh');
      const k = reparamKl(ctx, a.prior, { h, eps, z, kl, dz, dh }, a.scale);
      runDispatches(ctx, [k.forward, k.backward]);
      return { z: await readMatrix(ctx, z, true), kl: await readMatrix(ctx, kl), dh: await readMatrix(ctx, dh, true) };
    },
    async sample(a: { noise: NoiseKind; seed: number; M: number; L: number; step: number; stepOffset?: number }) {
      const state = createTrainState(ctx, a.step);
      const eps = allocMatrix(ctx, 1, a.M * a.L, 'eps');
      runDispatches(ctx, [sampleEps(ctx, { noise: a.noise, seed: a.seed, M: a.M, L: a.L, state, eps, stepOffset: a.stepOffset })]);
      return { eps: await readMatrix(ctx, eps) };
    },
    async philox(a: { seed: number; M: number; L: number; step: number }) {
      const state = createTrainState(ctx, a.step);
      const bits = createBuffer(ctx, a.M * 16, 'bits');
      runDispatches(ctx, [philoxBits(ctx, { seed: a.seed, M: a.M, L: a.L, state, bits })]);
      return { bits: new Uint32Array(await readBytes(ctx, bits, 0, a.M * 16)) };
    },
    async optimizer(a: { config: OptimizerConfig; p: Float32Array; grads: Float32Array[] }) {
      const bytes = a.p.byteLength;
      const params = createBuffer(ctx, bytes, 'p');
      const grads = createBuffer(ctx, bytes, 'g');
      const state = createTrainState(ctx);
      ctx.device.queue.writeBuffer(params, 0, a.p);
      const opt = createOptimizer(ctx, a.config, { params, grads, bytes, state });
      for (const g of a.grads) {
        ctx.device.queue.writeBuffer(grads, 0, g);
        runDispatches(ctx, [opt.update, stepAdvance(ctx, state)]);
      }
      return { p: new Float32Array(await readBytes(ctx, params, 0, bytes)) };
    },
    async gather(a: { pixels: Uint8Array; count: number; D: number; B: number; order: Uint32Array; step: number; epochStart: number }) {
      const set = uploadImages(ctx, a.pixels, a.count, a.D, 'set');
      ctx.device.queue.writeBuffer(set.order, 0, a.order);
      const state = createTrainState(ctx, a.step);
      const x = allocMatrix(ctx, a.B, a.D, 'x');
      const g = gatherBatch(ctx, { set, state, x });
      g.setEpochStart(a.epochStart);
      runDispatches(ctx, [g.dispatch]);
      return { x: await readMatrix(ctx, x, true) };
    },
    async sigmoidAccumulate(a: { M: number; D: number; logits: Float32Array; acc: Float32Array; weight: number }) {
      const logits = upload(ctx, a.M, a.D, a.logits, 'logits');
      const acc = upload(ctx, a.M, a.D, a.acc, 'acc');
      runDispatches(ctx, [sigmoidAccumulate(ctx, { logits, acc, weight: a.weight })]);
      return { acc: await readMatrix(ctx, acc, true) };
    },
    async lossAccumulate(a: { batches: { re: Float32Array; kl: Float32Array }[] }) {
      const M = a.batches[0].re.length;
      const re = allocMatrix(ctx, 1, M, 're');
      const kl = allocMatrix(ctx, 1, M, 'kl');
      const sums = createBuffer(ctx, 16, 'sums');
      const acc = lossAccumulate(ctx, { re, kl, sums });
      for (const b of a.batches) {
        writeMatrix(ctx, re, b.re);
        writeMatrix(ctx, kl, b.kl);
        runDispatches(ctx, [acc]);
      }
      return { sums: new Float32Array(await readBytes(ctx, sums, 0, 16)) };
    },
  };
}
