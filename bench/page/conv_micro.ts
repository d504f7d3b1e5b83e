// Bench section 6: every pass of every conv and transposed-conv layer of the CNN VAE, ours next
// to TensorFlow.js WebGPU on the same page and adapter, both timed by wall clock to queue
// completion (best of N after a warm-up, alternating sides). TF.js ops: forward tf.conv2d /
// tf.conv2dTranspose, backward to the input tf.conv2dTranspose / tf.conv2d, weights
// conv2DBackpropFilter (the op tf.grad of conv2d runs). Ours also adds the bias (forward) and sums
// the bias gradient (weights); TF.js does neither, which can only flatter it.
// Correctness gates speed: each pass's output is compared with TF.js's before it is timed.
import type { Dispatch, GpuContext } from '../../src/gpu/context.ts';
import { allocMatrix, readMatrix, writeMatrix, type GpuMatrix } from '../../src/gpu/matrix.ts';
import { conv2dLayer, convTranspose2dLayer } from '../../src/kernels/conv2d.ts';
import { weightFromGpu, weightToGpu } from '../../src/kernels/conv_layout.ts';
import { convOut, convTOut } from '../../src/ref/conv2d.ts';
import { createRng } from '../../src/rng.ts';
import { conv2DBackpropFilter } from '@tensorflow/tfjs-core/dist/ops/conv2d_backprop_filter';
import { convPassFlops, describeLayer, type ConvLayerSpec } from './cnn_layers.ts';
import { tfFilter, weightDims } from './tf_layout.ts';
import { wallMs } from './timing.ts';
import { tf, tfWallMs } from './tf_setup.ts';

export type ConvPass = 'forward' | 'backwardData' | 'backwardWeight';

export interface ConvRow {
  layer: string;
  kind: 'conv' | 'convT';
  /** channels, kernel/stride and sizes, e.g. "1->32 3x3/2 28x28->14x14" */
  shape: string;
  batch: number;
  pass: ConvPass;
  gflop: number;
  oursMs: number;
  oursGflops: number;
  /** absent when TF.js could not start here */
  tfMs?: number;
  tfGflops?: number;
  /** max |ours - TF.js| / max |TF.js| over the pass's output, checked before timing */
  relDiff?: number;
}

/** ours and TF.js may differ by f32 summation order only */
const MAX_REL_DIFF = 1e-3;

const random = (n: number, seed: number) => { const r = createRng(seed); return Float32Array.from({ length: n }, () => 2 * r.next() - 1); };

interface PassPair {
  pass: ConvPass;
  ours: Dispatch[];
  /** our output as TF.js lays it out (NHWC, or a TF.js filter), for the check */
  oursOut: () => Promise<Float32Array>;
  tfOp?: () => tf.Tensor;
  /** the bias ours adds (forward only), to add to TF.js's output in the check */
  bias?: Float32Array;
}

export async function convMicrobench(ctx: GpuContext, layers: ConvLayerSpec[], reps: number, withTf: boolean): Promise<ConvRow[]> {
  const rows: ConvRow[] = [];
  for (const spec of layers) {
    const s = spec.shape, N = s.N, conv = spec.kind === 'conv';
    const { Ho, Wo } = conv ? convOut(s) : convTOut(s);
    const layer = conv ? conv2dLayer(ctx, s) : convTranspose2dLayer(ctx, s);
    const [R, C] = weightDims(spec);
    const made: GpuMatrix[] = [];
    const mat = (r: number, c: number, label: string, data?: Float32Array, weight = false) => {
      const m = allocMatrix(ctx, r, c, label, weight);
      if (data) writeMatrix(ctx, m, data);
      made.push(m);
      return m;
    };
    // NHWC on both sides (TF.js's default layout, and ours)
    const xRows = random(N * s.H * s.W * s.Cin, 1), dyRows = random(N * Ho * Wo * s.Cout, 4);
    const w = random(R * C * s.KH * s.KW, 2), b = random(s.Cout, 3);
    const inRows = N * s.H * s.W, outRows = N * Ho * Wo;
    const x = mat(inRows, s.Cin, 'x', xRows), dy = mat(outRows, s.Cout, 'dy', dyRows);
    const wm = mat(R, s.KH * s.KW * Math.ceil(C / 4) * 4, 'w', weightToGpu(w, R, C, s.KH, s.KW), true);
    const bm = mat(1, s.Cout, 'b', b), y = mat(outRows, s.Cout, 'y'), dx = mat(inRows, s.Cin, 'dx');
    const dw = mat(R, wm.cols, 'dw', undefined, true), db = mat(1, s.Cout, 'db');
    const t = withTf ? {
      x: tf.tensor4d(xRows, [N, s.H, s.W, s.Cin]), dy: tf.tensor4d(dyRows, [N, Ho, Wo, s.Cout]),
      w: tf.tensor4d(tfFilter(w, R, C, s.KH, s.KW), [s.KH, s.KW, C, R]),
    } : undefined;
    const st: [number, number] = [s.stride, s.stride], pad = s.pad;
    const read = (m: GpuMatrix) => () => readMatrix(ctx, m);
    const readFilter = async () => tfFilter(weightFromGpu(await readMatrix(ctx, dw), R, C, s.KH, s.KW), R, C, s.KH, s.KW);
    // TF.js's numeric pad is symmetric; its output-shape argument picks the transposed conv's
    // output padding (the extra row and column PyTorch's output_padding adds at the bottom right)
    const passes: PassPair[] = conv
      ? [
          { pass: 'forward', ours: [layer.forward({ x, w: wm, b: bm, y })], oursOut: read(y), bias: b, tfOp: t && (() => tf.conv2d(t.x, t.w, st, pad)) },
          { pass: 'backwardData', ours: [layer.backwardData({ dy, w: wm, dx })], oursOut: read(dx), tfOp: t && (() => tf.conv2dTranspose(t.dy, t.w, [N, s.H, s.W, s.Cin], st, pad)) },
          { pass: 'backwardWeight', ours: layer.backwardWeight({ dy, x, dw, db }), oursOut: readFilter, tfOp: t && (() => conv2DBackpropFilter(t.x, t.dy, [s.KH, s.KW, s.Cin, s.Cout], st, pad)) },
        ]
      : [
          { pass: 'forward', ours: [layer.forward({ x, w: wm, b: bm, y })], oursOut: read(y), bias: b, tfOp: t && (() => tf.conv2dTranspose(t.x, t.w, [N, Ho, Wo, s.Cout], st, pad)) },
          { pass: 'backwardData', ours: [layer.backwardData({ dy, w: wm, dx })], oursOut: read(dx), tfOp: t && (() => tf.conv2d(t.dy, t.w, st, pad)) },
          { pass: 'backwardWeight', ours: layer.backwardWeight({ dy, x, dw, db }), oursOut: readFilter, tfOp: t && (() => conv2DBackpropFilter(t.dy, t.x, [s.KH, s.KW, s.Cout, s.Cin], st, pad)) },
        ];
    const flop = convPassFlops(spec);
    for (const p of passes) {
      await wallMs(ctx, p.ours, 1); // warm-up: pipeline compile, first touch
      const relDiff = p.tfOp ? await check(spec.name, p, await p.oursOut()) : undefined;
      let oursMs = Infinity, tfMs = Infinity;
      for (let r = 0; r < reps; r++) {
        oursMs = Math.min(oursMs, await wallMs(ctx, p.ours, 1));
        if (p.tfOp) tfMs = Math.min(tfMs, await tfWallMs(p.tfOp, 1));
      }
      const tfSide = p.tfOp ? { tfMs, tfGflops: flop / (tfMs * 1e6), relDiff } : {};
      rows.push({ layer: spec.name, kind: spec.kind, shape: describeLayer(spec), batch: N, pass: p.pass, gflop: flop / 1e9, oursMs, oursGflops: flop / (oursMs * 1e6), ...tfSide });
    }
    if (t) tf.dispose([t.x, t.dy, t.w]);
    made.forEach((m) => m.buffer.destroy());
  }
  return rows;
}

/** TF.js's output of the pass (its warm-up run) against ours; throws past MAX_REL_DIFF. */
async function check(layer: string, p: PassPair, mine: Float32Array): Promise<number> {
  const out = p.tfOp!();
  const theirs = await out.data();
  out.dispose();
  if (theirs.length !== mine.length) throw new Error(`${layer} ${p.pass}: TF.js gives ${theirs.length} values, ours ${mine.length}; the layers differ`);
  let diff = 0, scale = 0;
  for (let i = 0; i < mine.length; i++) {
    const ref = theirs[i] + (p.bias ? p.bias[i % p.bias.length] : 0);
    diff = Math.max(diff, Math.abs(mine[i] - ref));
    scale = Math.max(scale, Math.abs(ref));
  }
  const rel = diff / scale;
  if (!(rel <= MAX_REL_DIFF)) throw new Error(`${layer} ${p.pass}: ours differs from TF.js by ${rel} of its largest value; not timing it`);
  return rel;
}
