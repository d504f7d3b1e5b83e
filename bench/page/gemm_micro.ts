// Section 2: every GEMM shape and form of a training step, ours next to TensorFlow.js's matMul,
// same page, same adapter, same run, both timed by wall clock to queue completion (best of N).
// The TF.js side does the same product with the same transposes; xwt uses tf.fused.matMul so
// bias and ReLU are fused on both sides. Our dyw also applies the ReLU mask and our dytx also
// sums db; TF.js does neither, which can only flatter TF.js.
import type { Dispatch, GpuContext } from '../../src/gpu/context.ts';
import { allocMatrix, writeMatrix, type GpuMatrix } from '../../src/gpu/matrix.ts';
import { gemmDytX, gemmDyW, gemmXWt } from '../../src/kernels/gemm.ts';
import { layerShapes, type VaeShape } from '../../src/ref/vae.ts';
import { createRng } from '../../src/rng.ts';
import { wallMs } from './timing.ts';
import { tf, tfWallMs } from './tf_setup.ts';

export type GemmForm = 'xwt' | 'dyw' | 'dytx';

export interface GemmRow {
  form: GemmForm;
  layer: number;
  M: number;
  N: number;
  K: number;
  oursMs: number;
  /** absent when TF.js could not start here */
  tfMs?: number;
  oursGflops: number;
  tfGflops?: number;
}

function random(n: number, seed: number): Float32Array {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => 2 * r.next() - 1);
}

// every matrix of the current shape, destroyed once it has been timed
const made: GpuMatrix[] = [];

function empty(ctx: GpuContext, rows: number, cols: number, label: string, weight = false): GpuMatrix {
  const m = allocMatrix(ctx, rows, cols, label, weight);
  made.push(m);
  return m;
}

function matrix(ctx: GpuContext, rows: number, cols: number, label: string, data: Float32Array, weight = false): GpuMatrix {
  const m = empty(ctx, rows, cols, label, weight);
  writeMatrix(ctx, m, data);
  return m;
}

/** Our dispatch and TF.js's op for one form; inputs hold the same values on both sides. Without
 *  TF.js (it could not start here) no tensor is made: there is no backend to hold it. */
function pair(ctx: GpuContext, form: GemmForm, M: number, N: number, K: number, relu: boolean, withTf: boolean): { ours: Dispatch; tfOp?: () => tf.Tensor; dispose: () => void } {
  const a = random(M * (form === 'xwt' ? K : N), 1), w = random(N * K, 2), b = random(N, 3), x = random(M * K, 4);
  const side = (ours: Dispatch, makeTf: () => { tfOp: () => tf.Tensor; dispose: () => void }) => (withTf ? { ours, ...makeTf() } : { ours, dispose: () => undefined });
  if (form === 'xwt') {
    const ours = gemmXWt(ctx, { x: matrix(ctx, M, K, 'x', a), w: matrix(ctx, N, K, 'w', w, true), b: matrix(ctx, 1, N, 'b', b), y: empty(ctx, M, N, 'y'), relu });
    return side(ours, () => {
      const [ta, tw, tb] = [tf.tensor2d(a, [M, K]), tf.tensor2d(w, [N, K]), tf.tensor1d(b)];
      return { tfOp: () => tf.fused.matMul({ a: ta, b: tw, transposeB: true, bias: tb, activation: relu ? 'relu' : 'linear' }), dispose: () => tf.dispose([ta, tw, tb]) };
    });
  }
  if (form === 'dyw') {
    const ours = gemmDyW(ctx, { dy: matrix(ctx, M, N, 'dy', a), w: matrix(ctx, N, K, 'w', w, true), dx: empty(ctx, M, K, 'dx'), act: relu ? matrix(ctx, M, K, 'act', x) : undefined });
    return side(ours, () => {
      const [ta, tw] = [tf.tensor2d(a, [M, N]), tf.tensor2d(w, [N, K])];
      return { tfOp: () => tf.matMul(ta, tw), dispose: () => tf.dispose([ta, tw]) };
    });
  }
  const ours = gemmDytX(ctx, { dy: matrix(ctx, M, N, 'dy', a), x: matrix(ctx, M, K, 'x', x), dw: empty(ctx, N, K, 'dw', true), db: empty(ctx, 1, N, 'db') });
  return side(ours, () => {
    const [ta, tx] = [tf.tensor2d(a, [M, N]), tf.tensor2d(x, [M, K])];
    return { tfOp: () => tf.matMul(ta, tx, true, false), dispose: () => tf.dispose([ta, tx]) };
  });
}

/** The GEMMs of one training step of `shape` at batch B, in layer order. */
export function stepGemms(shape: VaeShape, B: number): { form: GemmForm; layer: number; M: number; N: number; K: number; relu: boolean }[] {
  const specs = layerShapes(shape);
  const nEnc = shape.encoder.length;
  return specs.flatMap((s, i) => [
    { form: 'xwt' as const, layer: i, M: B, N: s.out, K: s.in, relu: s.relu },
    ...(i > 0 ? [{ form: 'dyw' as const, layer: i, M: B, N: s.out, K: s.in, relu: i !== nEnc }] : []),
    { form: 'dytx' as const, layer: i, M: B, N: s.out, K: s.in, relu: false },
  ]);
}

export async function gemmMicrobench(ctx: GpuContext, shape: VaeShape, B: number, reps: number, withTf = true): Promise<GemmRow[]> {
  const rows: GemmRow[] = [];
  for (const g of stepGemms(shape, B)) {
    const p = pair(ctx, g.form, g.M, g.N, g.K, g.relu, withTf);
    await wallMs(ctx, [p.ours], 1); // warm-up: pipeline compile, first touch
    if (p.tfOp) await tfWallMs(p.tfOp, 1);
    // best of `reps`, each timed alone, alternating sides: other jobs on a shared machine only
    // ever add time, and alternating spreads what they add over both sides
    let oursMs = Infinity, tfMs = Infinity;
    for (let r = 0; r < reps; r++) {
      oursMs = Math.min(oursMs, await wallMs(ctx, [p.ours], 1));
      if (p.tfOp) tfMs = Math.min(tfMs, await tfWallMs(p.tfOp, 1));
    }
    p.dispose();
    made.splice(0).forEach((m) => m.buffer.destroy());
    const flop = 2 * g.M * g.N * g.K;
    const tfSide = withTf ? { tfMs, tfGflops: flop / (tfMs * 1e6) } : {};
    rows.push({ form: g.form, layer: g.layer, M: g.M, N: g.N, K: g.K, oursMs, oursGflops: flop / (oursMs * 1e6), ...tfSide });
  }
  return rows;
}
