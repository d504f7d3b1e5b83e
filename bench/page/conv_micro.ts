// Conv microbench: every pass of the CNN VAE's conv and transposed-conv layers, ours next to
// TensorFlow.js WebGPU on the same page and adapter, both timed by wall clock to queue completion
// (best of N, alternating sides). TF.js ops: forward tf.conv2d / tf.conv2dTranspose, backward to
// the input tf.conv2dTranspose / tf.conv2d, weights conv2DBackpropFilter. Ours also adds the bias
// (forward) and sums the bias gradient (weights); TF.js does neither, which can only flatter it.
// Correctness gates speed: each forward output is compared with TF.js's before anything is timed.
import type { Dispatch, GpuContext } from '../../src/gpu/context.ts';
import { allocMatrix, readMatrix, writeMatrix, type GpuMatrix } from '../../src/gpu/matrix.ts';
import { conv2dLayer, convTranspose2dLayer } from '../../src/kernels/conv2d.ts';
import { nchwToRows, weightToGpu } from '../../src/kernels/conv_layout.ts';
import { convOut, convTOut, type Conv2dShape, type ConvT2dShape } from '../../src/ref/conv2d.ts';
import { createRng } from '../../src/rng.ts';
import { conv2DBackpropFilter } from '@tensorflow/tfjs-core/dist/ops/conv2d_backprop_filter';
import { wallMs } from './timing.ts';
import { tf, tfWallMs } from './tf_setup.ts';

export type ConvPass = 'forward' | 'backwardData' | 'backwardWeight';

export interface ConvLayerSpec { name: string; kind: 'conv' | 'convT'; shape: Omit<ConvT2dShape, 'N'> }

export interface ConvRow { layer: string; pass: ConvPass; gflop: number; oursMs: number; tfMs: number; oursGflops: number; tfGflops: number; maxDiff?: number }

/** The CNN VAE: encoder 28 -> 14 -> 7 -> 4 (1 -> 32 -> 64 -> 128), decoder mirroring it back to 28x28. */
export const CNN_VAE_LAYERS: ConvLayerSpec[] = [
  { name: 'enc1 conv 1->32 4x4 28->14', kind: 'conv', shape: { Cin: 1, H: 28, W: 28, Cout: 32, KH: 4, KW: 4, stride: 2, pad: 1, outputPadding: 0 } },
  { name: 'enc2 conv 32->64 4x4 14->7', kind: 'conv', shape: { Cin: 32, H: 14, W: 14, Cout: 64, KH: 4, KW: 4, stride: 2, pad: 1, outputPadding: 0 } },
  { name: 'enc3 conv 64->128 3x3 7->4', kind: 'conv', shape: { Cin: 64, H: 7, W: 7, Cout: 128, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 0 } },
  { name: 'dec1 convT 128->64 3x3 4->7', kind: 'convT', shape: { Cin: 128, H: 4, W: 4, Cout: 64, KH: 3, KW: 3, stride: 2, pad: 1, outputPadding: 0 } },
  { name: 'dec2 convT 64->32 4x4 7->14', kind: 'convT', shape: { Cin: 64, H: 7, W: 7, Cout: 32, KH: 4, KW: 4, stride: 2, pad: 1, outputPadding: 0 } },
  { name: 'dec3 convT 32->1 4x4 14->28', kind: 'convT', shape: { Cin: 32, H: 14, W: 14, Cout: 1, KH: 4, KW: 4, stride: 2, pad: 1, outputPadding: 0 } },
];

const random = (n: number, seed: number) => { const r = createRng(seed); return Float32Array.from({ length: n }, () => 2 * r.next() - 1); };

/** PyTorch weight (R, C, KH, KW) -> TF.js filter [KH, KW, C, R] (conv: R = out; transposed: R = in, TF's inDepth last). */
function tfFilter(w: Float32Array, R: number, C: number, KH: number, KW: number): Float32Array {
  const f = new Float32Array(w.length);
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) for (let k = 0; k < KH * KW; k++) f[(k * C + c) * R + r] = w[(r * C + c) * KH * KW + k];
  return f;
}

export async function convMicrobench(ctx: GpuContext, batch: number, reps: number, layers: ConvLayerSpec[] = CNN_VAE_LAYERS): Promise<ConvRow[]> {
  const rows: ConvRow[] = [];
  for (const spec of layers) {
    const s = { N: batch, ...spec.shape };
    const conv = spec.kind === 'conv';
    const { Ho, Wo } = conv ? convOut(s) : convTOut(s);
    const layer = conv ? conv2dLayer(ctx, s as Conv2dShape) : convTranspose2dLayer(ctx, s);
    const g = layer.geometry;
    const [R, C] = conv ? [s.Cout, s.Cin] : [s.Cin, s.Cout];
    const made: GpuMatrix[] = [];
    const mat = (r: number, c: number, label: string, data?: Float32Array, weight = false) => {
      const m = allocMatrix(ctx, r, c, label, weight);
      if (data) writeMatrix(ctx, m, data);
      made.push(m);
      return m;
    };
    // inputs NHWC on both sides (TF.js's default layout, and ours)
    const xNchw = random(batch * s.Cin * s.H * s.W, 1), w = random(R * C * s.KH * s.KW, 2), b = random(s.Cout, 3);
    const xRows = nchwToRows(xNchw, batch, s.Cin, s.H, s.W);
    const dyRows = random(batch * Ho * Wo * s.Cout, 4);
    const inRows = batch * s.H * s.W, outRows = batch * Ho * Wo;
    const x = mat(inRows, s.Cin, 'x', xRows), dy = mat(outRows, s.Cout, 'dy', dyRows);
    const wm = mat(R, s.KH * s.KW * Math.ceil(C / 4) * 4, 'w', weightToGpu(w, R, C, s.KH, s.KW), true);
    const bm = mat(1, s.Cout, 'b', b), y = mat(outRows, s.Cout, 'y'), dx = mat(inRows, s.Cin, 'dx');
    const dw = mat(R, wm.cols, 'dw', undefined, true), db = mat(1, s.Cout, 'db');
    const tx = tf.tensor4d(xRows, [batch, s.H, s.W, s.Cin]), tdy = tf.tensor4d(dyRows, [batch, Ho, Wo, s.Cout]);
    const tw = tf.tensor4d(tfFilter(w, R, C, s.KH, s.KW), [s.KH, s.KW, C, R]);
    const pad = s.pad, st: [number, number] = [s.stride, s.stride];
    const passes: [ConvPass, Dispatch[], () => tf.Tensor][] = conv
      ? [
          ['forward', [layer.forward({ x, w: wm, b: bm, y })], () => tf.conv2d(tx as tf.Tensor4D, tw, st, pad)],
          ['backwardData', [layer.backwardData({ dy, w: wm, dx })], () => tf.conv2dTranspose(tdy as tf.Tensor4D, tw, [batch, s.H, s.W, s.Cin], st, pad)],
          ['backwardWeight', layer.backwardWeight({ dy, x, dw, db }), () => conv2DBackpropFilter(tx as tf.Tensor4D, tdy as tf.Tensor4D, [s.KH, s.KW, s.Cin, s.Cout], st, pad)],
        ]
      : [
          ['forward', [layer.forward({ x, w: wm, b: bm, y })], () => tf.conv2dTranspose(tx as tf.Tensor4D, tw, [batch, Ho, Wo, s.Cout], st, pad)],
          ['backwardData', [layer.backwardData({ dy, w: wm, dx })], () => tf.conv2d(tdy as tf.Tensor4D, tw, st, pad)],
          ['backwardWeight', layer.backwardWeight({ dy, x, dw, db }), () => conv2DBackpropFilter(tdy as tf.Tensor4D, tx as tf.Tensor4D, [s.KH, s.KW, s.Cout, s.Cin], st, pad)],
        ];
    const gflop = (2 * batch * g.Hs * g.Ws * g.Cs * g.Cb * g.KH * g.KW) / 1e9;
    for (const [pass, ours, tfOp] of passes) {
      let maxDiff: number | undefined;
      await wallMs(ctx, ours, 1); // warm-up: pipeline compile, first touch
      const warm = tfOp();
      if (pass === 'forward') {
        const mine = await readMatrix(ctx, y), theirs = await warm.data();
        maxDiff = 0;
        for (let i = 0; i < mine.length; i++) maxDiff = Math.max(maxDiff, Math.abs(mine[i] - (theirs[i] + b[i % s.Cout])));
        if (!(maxDiff < 1e-3)) throw new Error(`${spec.name}: our forward differs from TF.js's by ${maxDiff}; not timing it`);
      } else await warm.data();
      warm.dispose();
      let oursMs = Infinity, tfMs = Infinity;
      for (let r = 0; r < reps; r++) {
        oursMs = Math.min(oursMs, await wallMs(ctx, ours, 1));
        tfMs = Math.min(tfMs, await tfWallMs(tfOp, 1));
      }
      rows.push({ layer: spec.name, pass, gflop, oursMs, tfMs, oursGflops: gflop / (oursMs / 1e3), tfGflops: gflop / (tfMs / 1e3), maxDiff });
    }
    tf.dispose([tx, tdy, tw]);
    made.forEach((m) => m.buffer.destroy());
  }
  return rows;
}
