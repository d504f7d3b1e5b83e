// The convolution kernels (shaders/conv2d_fwd.wgsl, conv2d_bwd_data.wgsl, conv2d_bwd_weight.wgsl)
// against the definitions, not against src/ref/conv2d.ts:
//  1. the conv forward equals a naive six-loop cross-correlation (PyTorch's Conv2d) written below;
//  2. every other pass is pinned by an adjoint identity with a pass already pinned:
//       <conv(u), v> = <u, conv_transpose(v)>   for every output padding 0 .. stride-1
//       <conv(x), dy> = <x, dx> = <w, dw>        (backward to the input and to the weights)
//       <convT(x), dy> = <x, dxT> = <w, dwT>
//     and db is the per-channel sum of dy.
// Every check runs twice: on the families' fallbacks (the kernels above) and with every conv pass
// forced to its `im2col` variant (src/kernels/conv_im2col.ts, shaders/conv2d_im2col.wgsl).
// Layout conversions (NCHW <-> pixel rows) come from src/kernels/conv_layout.ts.
// Tolerance: 1e-4 + 1e-4 |value| on outputs; inner products (sums of up to a few thousand f32
// terms of order 1) to 1e-3 relative to the sum of |terms|.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nchwToRows, rowsToNchw, weightFromGpu, weightToGpu } from '../src/kernels/conv_layout.ts';
import { assertClose, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();

interface Geometry { N: number; Cin: number; H: number; W: number; Cout: number; KH: number; KW: number; stride: number; pad: number }
interface LayerOut { y: Float32Array; dx: Float32Array; dw: Float32Array; db: Float32Array }

/** Conv output size, typed from PyTorch's documentation. */
const outSize = (n: number, k: number, s: number, p: number) => Math.floor((n + 2 * p - k) / s) + 1;

/** y[n][co][oh][ow] = b[co] + sum_{ci,kh,kw} x[n][ci][oh*s-p+kh][ow*s-p+kw] w[co][ci][kh][kw], NCHW, 0 outside x. */
function naiveConv(x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>, g: Geometry): Float64Array {
  const Ho = outSize(g.H, g.KH, g.stride, g.pad), Wo = outSize(g.W, g.KW, g.stride, g.pad);
  const y = new Float64Array(g.N * g.Cout * Ho * Wo);
  for (let n = 0; n < g.N; n++) for (let co = 0; co < g.Cout; co++) for (let oh = 0; oh < Ho; oh++) for (let ow = 0; ow < Wo; ow++) {
    let acc = b[co];
    for (let ci = 0; ci < g.Cin; ci++) for (let kh = 0; kh < g.KH; kh++) for (let kw = 0; kw < g.KW; kw++) {
      const ih = oh * g.stride - g.pad + kh, iw = ow * g.stride - g.pad + kw;
      if (ih >= 0 && ih < g.H && iw >= 0 && iw < g.W) acc += x[((n * g.Cin + ci) * g.H + ih) * g.W + iw] * w[((co * g.Cin + ci) * g.KH + kh) * g.KW + kw];
    }
    y[((n * g.Cout + co) * Ho + oh) * Wo + ow] = acc;
  }
  return y;
}

/** <a, b> with the scale (sum of |a_i b_i|) its f32 rounding is measured against. */
function dot(a: ArrayLike<number>, b: ArrayLike<number>): { v: number; scale: number } {
  assert.equal(a.length, b.length, 'inner product of arrays of different lengths');
  let v = 0, scale = 0;
  for (let i = 0; i < a.length; i++) { v += a[i] * b[i]; scale += Math.abs(a[i] * b[i]); }
  return { v, scale };
}
function sameProduct(p: { v: number; scale: number }, q: { v: number; scale: number }, what: string): void {
  const tol = 1e-3 * Math.max(p.scale, q.scale, 1e-6);
  assert.ok(Math.abs(p.v - q.v) <= tol, `${what}: ${p.v} vs ${q.v} (tolerance ${tol})`);
}

/** One layer on the GPU, inputs and outputs NCHW; weights (R, C, KH, KW) as PyTorch holds them. */
async function layer(kind: 'conv' | 'convT', g: Geometry, outputPadding: number, x: Float32Array, w: Float32Array, b: Float32Array, dy: Float32Array, kernels: string[]) {
  const Ho = kind === 'conv' ? outSize(g.H, g.KH, g.stride, g.pad) : (g.H - 1) * g.stride - 2 * g.pad + g.KH + outputPadding;
  const Wo = kind === 'conv' ? outSize(g.W, g.KW, g.stride, g.pad) : (g.W - 1) * g.stride - 2 * g.pad + g.KW + outputPadding;
  const [R, C] = kind === 'conv' ? [g.Cout, g.Cin] : [g.Cin, g.Cout];
  const shape = kind === 'conv' ? g : { ...g, outputPadding };
  const out = await harness().call<LayerOut>('convLayer', {
    kind, shape, x: nchwToRows(x, g.N, g.Cin, g.H, g.W), w: weightToGpu(w, R, C, g.KH, g.KW), b, dy: nchwToRows(dy, g.N, g.Cout, Ho, Wo), kernels,
  });
  return {
    y: rowsToNchw(unpad(out.y, g.N * Ho * Wo, g.Cout), g.N, g.Cout, Ho, Wo),
    dx: rowsToNchw(unpad(out.dx, g.N * g.H * g.W, g.Cin), g.N, g.Cin, g.H, g.W),
    dw: weightFromGpu(out.dw, R, C, g.KH, g.KW),
    db: Array.from(out.db.subarray(0, g.Cout)),
    Ho, Wo,
  };
}

/** Subtracts the bias b[c] from an NCHW array of C channels of P pixels. */
const noBias = (y: Float64Array, N: number, C: number, P: number, b: ArrayLike<number>) => y.map((v, i) => v - b[Math.floor(i / P) % C]);
/** Per-channel sums of an NCHW array. */
const channelSums = (a: ArrayLike<number>, N: number, C: number, P: number) => Array.from({ length: C }, (_, c) => {
  let s = 0;
  for (let n = 0; n < N; n++) for (let i = 0; i < P; i++) s += a[(n * C + c) * P + i];
  return s;
});

const CASES: [string, Geometry][] = [
  ['3x3 stride 2 pad 1, odd 7x6 image', { N: 2, Cin: 3, H: 7, W: 6, Cout: 5, KH: 3, KW: 3, stride: 2, pad: 1 }],
  ['2x3 kernel stride 1 pad 0', { N: 2, Cin: 2, H: 5, W: 6, Cout: 3, KH: 2, KW: 3, stride: 1, pad: 0 }],
  ['4x4 stride 2 pad 1 (the CNN VAE\'s)', { N: 1, Cin: 4, H: 8, W: 8, Cout: 6, KH: 4, KW: 4, stride: 2, pad: 1 }],
  ['3x2 kernel stride 3 pad 1', { N: 2, Cin: 5, H: 10, W: 9, Cout: 2, KH: 3, KW: 2, stride: 3, pad: 1 }],
];

for (const kernels of [[], ['im2col']]) CASES.forEach(([base, g], i) => {
  const name = `${base}${kernels.length ? ` (${kernels.join(', ')})` : ''}`;
  test(`conv ${name}: forward equals the six-loop definition; dx and dw satisfy <conv(x), dy> = <x, dx> = <w, dw>; db sums dy`, async () => {
    const seed = 40 + 10 * i;
    const x = uniformArray(g.N * g.Cin * g.H * g.W, seed), w = uniformArray(g.Cout * g.Cin * g.KH * g.KW, seed + 1), b = uniformArray(g.Cout, seed + 2);
    const Ho = outSize(g.H, g.KH, g.stride, g.pad), Wo = outSize(g.W, g.KW, g.stride, g.pad);
    const dy = uniformArray(g.N * g.Cout * Ho * Wo, seed + 3);
    const out = await layer('conv', g, 0, x, w, b, dy, kernels);
    assertClose(out.y, naiveConv(x, w, b, g), { atol: 1e-4, rtol: 1e-4 }, 'y vs the six-loop definition');
    const lin = dot(noBias(out.y, g.N, g.Cout, Ho * Wo, b), dy);
    sameProduct(lin, dot(x, out.dx), '<conv(x), dy> vs <x, dx>');
    sameProduct(lin, dot(w, out.dw), '<conv(x), dy> vs <w, dw>');
    assertClose(out.db, channelSums(dy, g.N, g.Cout, Ho * Wo), { atol: 1e-4, rtol: 1e-4 }, 'db vs per-channel sums of dy');
  });

  // conv_transpose(A -> B channels, weight (A, B, KH, KW)) is the adjoint of conv(B -> A) with the same weight
  for (let op = 0; op < g.stride; op++) {
    test(`conv_transpose ${name}, output padding ${op}: <conv(u), v> = <u, convT(v)>; its dx and dw by the adjoint identities`, async () => {
      const seed = 400 + 10 * i + op;
      const A = g.Cout, B = g.Cin; // the transposed layer maps A channels back to B
      const Hs = g.H, Ws = g.W; // the transposed layer's input (small) size
      const t: Geometry = { ...g, Cin: A, Cout: B, H: Hs, W: Ws };
      const v = uniformArray(g.N * A * Hs * Ws, seed), w = uniformArray(A * B * g.KH * g.KW, seed + 1), bT = uniformArray(B, seed + 2);
      const Hb = (Hs - 1) * g.stride - 2 * g.pad + g.KH + op, Wb = (Ws - 1) * g.stride - 2 * g.pad + g.KW + op;
      const u = uniformArray(g.N * B * Hb * Wb, seed + 3);
      const tr = await layer('convT', t, op, v, w, bT, u, kernels);
      assert.deepEqual([tr.Ho, tr.Wo], [Hb, Wb], 'transposed output size (H-1)s - 2p + K + op');
      // the conv of the big image u back to the small size, by the definition
      const c: Geometry = { ...g, Cin: B, Cout: A, H: Hb, W: Wb };
      assert.deepEqual([outSize(Hb, g.KH, g.stride, g.pad), outSize(Wb, g.KW, g.stride, g.pad)], [Hs, Ws], 'conv maps the big size back');
      const convU = naiveConv(u, w, new Float64Array(A), c);
      const lin = dot(convU, v);
      sameProduct(lin, dot(u, noBias(tr.y, g.N, B, Hb * Wb, bT)), '<conv(u), v> vs <u, convT(v)>');
      sameProduct(lin, dot(v, tr.dx), '<conv(u), v> vs <v, dx of convT given dy = u>');
      sameProduct(lin, dot(w, tr.dw), '<conv(u), v> vs <w, dw of convT given dy = u>');
      assertClose(tr.db, channelSums(u, g.N, B, Hb * Wb), { atol: 1e-4, rtol: 1e-4 }, 'db vs per-channel sums of dy');
    });
  }
});
