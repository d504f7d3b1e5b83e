// Probes for the CNN kernels (conv, transposed conv, batch norm, LeakyReLU): inputs come from Node
// already in the GPU layout (NHWC rows, padded weight matrices, dense), outputs go back padded so
// tests can check that padding stays zero.
import { runDispatches, type GpuContext } from '../../src/gpu/context.ts';
import { allocMatrix, readMatrix, writeMatrix } from '../../src/gpu/matrix.ts';
import { batchNorm } from '../../src/kernels/batchnorm.ts';
import { conv2dLayer, convTranspose2dLayer } from '../../src/kernels/conv2d.ts';
import { planConv2d, planConvTranspose2d, type Conv2dShape, type ConvT2dShape } from '../../src/kernels/conv_plan.ts';
import { leakyRelu } from '../../src/kernels/leaky_relu.ts';
import { gemmXWt } from '../../src/kernels/gemm.ts';
import { imagesAsRows, rowsAsPixels } from '../../src/kernels/conv_layout.ts';
import { upload } from './kernel_probes.ts';
import { KERNEL_FAMILIES } from '../../src/kernels/families.ts';
import { emptyKernelTable, parseForced } from '../../src/tune/table.ts';

export interface ConvProbeArgs {
  kind: 'conv' | 'convT';
  shape: Conv2dShape | ConvT2dShape;
  /** dense rows: x (in pixels, in channels), dy (out pixels, out channels), w (R, KH*KW*ceil4(C)), b (out channels) */
  x: Float32Array; w: Float32Array; b: Float32Array; dy: Float32Array;
  leaky?: number;
  /** backward to the input multiplied by LeakyReLU'(act) with this slope (act: in pixels x in channels) */
  mask?: { act: Float32Array; slope: number };
  splits?: number;
  /** TVAE_KERNELS-style forced variants (e.g. ['im2col', 'subgroup.r32']); none: the fallbacks */
  kernels?: string[];
}

export function convProbes(outer: GpuContext) {
  const ctx = outer;
  return {
    /** forward, backward to the input and backward to the weights of one layer, dispatched together */
    async convLayer(a: ConvProbeArgs) {
      const ctx = { ...outer, kernels: emptyKernelTable(parseForced(a.kernels?.join(','), KERNEL_FAMILIES)) };
      const layer = a.kind === 'conv' ? conv2dLayer(ctx, a.shape, a.splits) : convTranspose2dLayer(ctx, a.shape as ConvT2dShape, a.splits);
      const g = layer.geometry;
      const conv = a.kind === 'conv';
      const [inRows, inC, outRows, outC] = conv
        ? [g.N * g.Hb * g.Wb, g.Cb, g.N * g.Hs * g.Ws, g.Cs]
        : [g.N * g.Hs * g.Ws, g.Cs, g.N * g.Hb * g.Wb, g.Cb];
      const wCols = g.KH * g.KW * Math.ceil(g.Cb / 4) * 4;
      const x = upload(ctx, inRows, inC, a.x, 'x');
      const w = upload(ctx, g.Cs, wCols, a.w, 'w', true);
      const b = upload(ctx, 1, outC, a.b, 'b');
      const dy = upload(ctx, outRows, outC, a.dy, 'dy');
      const y = allocMatrix(ctx, outRows, outC, 'y');
      const dx = allocMatrix(ctx, inRows, inC, 'dx');
      const dw = allocMatrix(ctx, g.Cs, wCols, 'dw', true);
      const db = allocMatrix(ctx, 1, outC, 'db');
      const mask = a.mask ? { act: upload(ctx, inRows, inC, a.mask.act, 'act'), slope: a.mask.slope } : undefined;
      const bw = layer.backwardWeight({ dy, x, dw, db });
      runDispatches(ctx, [
        layer.forward({ x, w, b, y, leaky: a.leaky === undefined ? undefined : { slope: a.leaky } }),
        layer.backwardData({ dy, w, dx, mask }),
        ...bw,
      ]);
      return {
        y: await readMatrix(ctx, y, true), dx: await readMatrix(ctx, dx, true), dw: await readMatrix(ctx, dw, true), db: await readMatrix(ctx, db, true),
        splits: g.S, dispatches: bw.reduce((n, d) => n + 1 + (d.pre?.length ?? 0), 0),
        used: Object.fromEntries([...ctx.kernels.used].map(([k, v]) => [k.slice(0, k.indexOf('|')), v])) as Record<string, string>,
      };
    },
    /** runs only the checks a launcher makes before allocating anything; returns the geometry */
    async convPlan(a: { kind: 'conv' | 'convT'; shape: Conv2dShape | ConvT2dShape; splits?: number }) {
      const lim = ctx.device.limits;
      return a.kind === 'conv' ? planConv2d(a.shape, lim, a.splits) : planConvTranspose2d(a.shape as ConvT2dShape, lim, a.splits);
    },
    /** batch norm: evaluation, a training step (stats, running update, apply), evaluation, backward */
    async batchNorm(a: { M: number; C: number; x: Float32Array; gamma: Float32Array; beta: Float32Array; runMean: Float32Array; runVar: Float32Array; dy: Float32Array; eps: number; momentum: number; leaky?: number; splits?: number }) {
      const x = upload(ctx, a.M, a.C, a.x, 'x');
      const dy = upload(ctx, a.M, a.C, a.dy, 'dy');
      const gamma = upload(ctx, 1, a.C, a.gamma, 'gamma');
      const beta = upload(ctx, 1, a.C, a.beta, 'beta');
      const runMean = upload(ctx, 1, a.C, a.runMean, 'runMean');
      const runVar = upload(ctx, 1, a.C, a.runVar, 'runVar');
      const y = allocMatrix(ctx, a.M, a.C, 'y');
      const dx = allocMatrix(ctx, a.M, a.C, 'dx');
      const dGamma = allocMatrix(ctx, 1, a.C, 'dGamma');
      const dBeta = allocMatrix(ctx, 1, a.C, 'dBeta');
      const leaky = a.leaky === undefined ? undefined : { slope: a.leaky };
      const bn = batchNorm(ctx, { M: a.M, C: a.C, eps: a.eps, momentum: a.momentum, leaky, splits: a.splits }, { x, gamma, beta, runMean, runVar, y, dy, dx, dGamma, dBeta });
      // evaluation with the given running statistics; a training step; evaluation again (updated
      // statistics) between the training forward and its backward, which it must not disturb
      runDispatches(ctx, bn.evalForward);
      const yEvalBefore = await readMatrix(ctx, y, true);
      runDispatches(ctx, bn.trainForward);
      const yTrain = await readMatrix(ctx, y, true);
      runDispatches(ctx, [...bn.evalForward, ...bn.backward]);
      return {
        y: yTrain, yEvalBefore, yEval: await readMatrix(ctx, y, true), dx: await readMatrix(ctx, dx, true),
        dGamma: await readMatrix(ctx, dGamma, true), dBeta: await readMatrix(ctx, dBeta, true),
        runMean: await readMatrix(ctx, runMean, true), runVar: await readMatrix(ctx, runVar, true), splits: bn.splits,
      };
    },
    /** Builds a layer's three passes from matrices of the given (rows, cols) (right ones by default); dispatches nothing. */
    async convBuild(a: { kind: 'conv' | 'convT'; shape: Conv2dShape | ConvT2dShape; shapes?: Record<string, [number, number, boolean?]> }) {
      const layer = a.kind === 'conv' ? conv2dLayer(ctx, a.shape) : convTranspose2dLayer(ctx, a.shape as ConvT2dShape);
      const g = layer.geometry;
      const conv = a.kind === 'conv';
      const inDims: [number, number] = conv ? [g.N * g.Hb * g.Wb, g.Cb] : [g.N * g.Hs * g.Ws, g.Cs];
      const outDims: [number, number] = conv ? [g.N * g.Hs * g.Ws, g.Cs] : [g.N * g.Hb * g.Wb, g.Cb];
      const wDims: [number, number, boolean] = [g.Cs, g.KH * g.KW * Math.ceil(g.Cb / 4) * 4, true];
      const want: Record<string, [number, number, boolean?]> = { x: inDims, dx: inDims, y: outDims, dy: outDims, w: wDims, dw: wDims, b: [1, outDims[1]], db: [1, outDims[1]], ...a.shapes };
      const m = (k: string) => allocMatrix(ctx, want[k][0], want[k][1], k, want[k][2] ?? false);
      layer.forward({ x: m('x'), w: m('w'), b: m('b'), y: m('y') });
      layer.backwardData({ dy: m('dy'), w: m('w'), dx: m('dx') });
      layer.backwardWeight({ dy: m('dy'), x: m('x'), dw: m('dw'), db: m('db') });
      return 'built';
    },
    async bnBuild(a: { M: number; C: number; eps: number; momentum: number; xRows?: number }) {
      const m = (rows: number, k: string) => allocMatrix(ctx, rows, a.C, k);
      batchNorm(ctx, { M: a.M, C: a.C, eps: a.eps, momentum: a.momentum }, {
        x: m(a.xRows ?? a.M, 'x'), gamma: m(1, 'gamma'), beta: m(1, 'beta'), runMean: m(1, 'runMean'), runVar: m(1, 'runVar'), y: m(a.M, 'y'),
      });
      return 'built';
    },
    /** conv -> BN (training, LeakyReLU fused) -> conv -> sum of squares: loss and every gradient */
    async convChain(a: { s1: Conv2dShape; s2: Conv2dShape; eps: number; slope: number; p: Record<'x' | 'w1' | 'b1' | 'gamma' | 'beta' | 'w2' | 'b2', Float32Array> }) {
      const l1 = conv2dLayer(ctx, a.s1), l2 = conv2dLayer(ctx, a.s2);
      const g1 = l1.geometry, g2 = l2.geometry;
      const rows1 = g1.N * g1.Hb * g1.Wb, rows2 = g1.N * g1.Hs * g1.Ws, rows3 = g2.N * g2.Hs * g2.Ws;
      const wc = (g: typeof g1) => g.KH * g.KW * Math.ceil(g.Cb / 4) * 4;
      const x = upload(ctx, rows1, g1.Cb, a.p.x, 'x');
      const w1 = upload(ctx, g1.Cs, wc(g1), a.p.w1, 'w1', true), b1 = upload(ctx, 1, g1.Cs, a.p.b1, 'b1');
      const w2 = upload(ctx, g2.Cs, wc(g2), a.p.w2, 'w2', true), b2 = upload(ctx, 1, g2.Cs, a.p.b2, 'b2');
      const gamma = upload(ctx, 1, g1.Cs, a.p.gamma, 'gamma'), beta = upload(ctx, 1, g1.Cs, a.p.beta, 'beta');
      const runMean = allocMatrix(ctx, 1, g1.Cs, 'runMean'), runVar = allocMatrix(ctx, 1, g1.Cs, 'runVar');
      const m = (r: number, c: number, k: string, w = false) => allocMatrix(ctx, r, c, k, w);
      const z1 = m(rows2, g1.Cs, 'z1'), act = m(rows2, g1.Cs, 'a'), y = m(rows3, g2.Cs, 'y'), dy = m(rows3, g2.Cs, 'dy');
      const da = m(rows2, g1.Cs, 'da'), dz1 = m(rows2, g1.Cs, 'dz1'), dx = m(rows1, g1.Cb, 'dx');
      const dw1 = m(g1.Cs, wc(g1), 'dw1', true), db1 = m(1, g1.Cs, 'db1'), dw2 = m(g2.Cs, wc(g2), 'dw2', true), db2 = m(1, g2.Cs, 'db2');
      const dGamma = m(1, g1.Cs, 'dGamma'), dBeta = m(1, g1.Cs, 'dBeta');
      const bn = batchNorm(ctx, { M: rows2, C: g1.Cs, eps: a.eps, momentum: 0.1, leaky: { slope: a.slope } }, { x: z1, gamma, beta, runMean, runVar, y: act, dy: da, dx: dz1, dGamma, dBeta });
      runDispatches(ctx, [l1.forward({ x, w: w1, b: b1, y: z1 }), ...bn.trainForward, l2.forward({ x: act, w: w2, b: b2, y })]);
      // the loss sum(y²) and its gradient 2y are the only host step
      const yv = await readMatrix(ctx, y);
      let loss = 0;
      for (const v of yv) loss += v * v;
      writeMatrix(ctx, dy, yv.map((v) => 2 * v));
      runDispatches(ctx, [
        ...l2.backwardWeight({ dy, x: act, dw: dw2, db: db2 }), l2.backwardData({ dy, w: w2, dx: da }),
        ...bn.backward, ...l1.backwardWeight({ dy: dz1, x, dw: dw1, db: db1 }), l1.backwardData({ dy: dz1, w: w1, dx }),
      ]);
      const r = (k: typeof dx) => readMatrix(ctx, k);
      return { loss, x: await r(dx), w1: await r(dw1), b1: await r(db1), gamma: await r(dGamma), beta: await r(dBeta), w2: await r(dw2), b2: await r(db2) };
    },
    /** conv -> flatten view -> dense -> dense -> pixel view -> transposed conv (the VAE's bottleneck) */
    async flattenRoundTrip(a: { conv: Conv2dShape; convT: ConvT2dShape; D: number; x: Float32Array; w: Float32Array; b: Float32Array; wd: Float32Array; bd: Float32Array; wu: Float32Array; bu: Float32Array; wt: Float32Array; bt: Float32Array }) {
      const enc = conv2dLayer(ctx, a.conv), dec = convTranspose2dLayer(ctx, a.convT);
      const ge = enc.geometry, gd = dec.geometry;
      const N = ge.N, P = ge.Hs * ge.Ws, C = ge.Cs, F = P * Math.ceil(C / 4) * 4;
      const wc = (g: typeof ge) => g.KH * g.KW * Math.ceil(g.Cb / 4) * 4;
      const x = upload(ctx, N * ge.Hb * ge.Wb, ge.Cb, a.x, 'x');
      const y = allocMatrix(ctx, N * P, C, 'y');
      const h = allocMatrix(ctx, N, a.D, 'h');
      const g = allocMatrix(ctx, N, F, 'g');
      const out = allocMatrix(ctx, N * gd.Hb * gd.Wb, gd.Cb, 'out');
      runDispatches(ctx, [
        enc.forward({ x, w: upload(ctx, C, wc(ge), a.w, 'w', true), b: upload(ctx, 1, C, a.b, 'b'), y }),
        gemmXWt(ctx, { x: imagesAsRows(y, N), w: upload(ctx, a.D, F, a.wd, 'wd', true), b: upload(ctx, 1, a.D, a.bd, 'bd'), y: h, relu: false }),
        gemmXWt(ctx, { x: h, w: upload(ctx, F, a.D, a.wu, 'wu', true), b: upload(ctx, 1, F, a.bu, 'bu'), y: g, relu: false }),
        dec.forward({ x: rowsAsPixels(g, P, C), w: upload(ctx, gd.Cs, wc(gd), a.wt, 'wt', true), b: upload(ctx, 1, gd.Cb, a.bt, 'bt'), y: out }),
      ]);
      return { h: await readMatrix(ctx, h), out: await readMatrix(ctx, out, true) };
    },
    async leakyRelu(a: { M: number; C: number; x: Float32Array; dy: Float32Array; slope: number }) {
      const x = upload(ctx, a.M, a.C, a.x, 'x');
      const dy = upload(ctx, a.M, a.C, a.dy, 'dy');
      const y = allocMatrix(ctx, a.M, a.C, 'y');
      const dx = allocMatrix(ctx, a.M, a.C, 'dx');
      const k = leakyRelu(ctx, { slope: a.slope }, { x, y, dy, dx });
      runDispatches(ctx, [k.forward, k.backward!]);
      return { y: await readMatrix(ctx, y, true), dx: await readMatrix(ctx, dx, true) };
    },
  };
}
