// Float64 CPU reference of 2-D convolution and transposed convolution in PyTorch's conventions:
// activations NCHW, conv weight (Cout, Cin, KH, KW), transposed-conv weight (Cin, Cout, KH, KW),
// zero padding, no dilation or groups. The GPU works in NHWC (src/kernels/conv_layout.ts converts),
// so these loops are an independent statement of the index map, not a copy of the shaders'.
//
// Both layers pair a "small" pixel q with a "big" pixel P = q*stride - pad + k:
//   conv:       small = output, big = input      y[q] += x[P] w
//   transposed: small = input,  big = output     y[P] += x[q] w
// Output sizes: conv Ho = floor((H + 2p - KH) / s) + 1; transposed Ho = (H - 1) s - 2p + KH + outputPadding.

// The shapes and output sizes are production code's (src/kernels/conv_shape.ts), shared: sizes,
// not the index maps these loops state.
import { convOut, convTOut, type Conv2dShape, type ConvT2dShape } from '../kernels/conv_shape.ts';

export { convOut, convOutputSize, convTOut, convTransposeOutputSize } from '../kernels/conv_shape.ts';
export type { Conv2dShape, ConvT2dShape } from '../kernels/conv_shape.ts';

type Arr = ArrayLike<number>;

/** Calls fn(n, qh, qw, Ph, Pw, kh, kw) for every small pixel q of (Hs, Ws) and tap k whose big pixel lies in (Hb, Wb). */
function eachTap(N: number, Hs: number, Ws: number, Hb: number, Wb: number, KH: number, KW: number, stride: number, pad: number,
  fn: (n: number, qh: number, qw: number, ph: number, pw: number, kh: number, kw: number) => void): void {
  for (let n = 0; n < N; n++) for (let qh = 0; qh < Hs; qh++) for (let qw = 0; qw < Ws; qw++) {
    for (let kh = 0; kh < KH; kh++) {
      const ph = qh * stride - pad + kh;
      if (ph < 0 || ph >= Hb) continue;
      for (let kw = 0; kw < KW; kw++) {
        const pw = qw * stride - pad + kw;
        if (pw >= 0 && pw < Wb) fn(n, qh, qw, ph, pw, kh, kw);
      }
    }
  }
}

/** y (N,Cout,Ho,Wo) = conv(x (N,Cin,H,W), w (Cout,Cin,KH,KW)) + b (Cout). */
export function conv2dForward(x: Arr, w: Arr, b: Arr, s: Conv2dShape): Float64Array {
  const { Ho, Wo } = convOut(s);
  const { N, Cin, H, W, Cout, KH, KW } = s;
  const y = new Float64Array(N * Cout * Ho * Wo);
  for (let n = 0; n < N; n++) for (let co = 0; co < Cout; co++) y.fill(b[co], ((n * Cout + co) * Ho) * Wo, ((n * Cout + co + 1) * Ho) * Wo);
  eachTap(N, Ho, Wo, H, W, KH, KW, s.stride, s.pad, (n, oh, ow, ih, iw, kh, kw) => {
    for (let co = 0; co < Cout; co++) {
      let acc = 0;
      for (let ci = 0; ci < Cin; ci++) acc += x[((n * Cin + ci) * H + ih) * W + iw] * w[((co * Cin + ci) * KH + kh) * KW + kw];
      y[((n * Cout + co) * Ho + oh) * Wo + ow] += acc;
    }
  });
  return y;
}

/** dx (N,Cin,H,W) of conv given dy (N,Cout,Ho,Wo). */
export function conv2dBackwardData(dy: Arr, w: Arr, s: Conv2dShape): Float64Array {
  const { Ho, Wo } = convOut(s);
  const { N, Cin, H, W, Cout, KH, KW } = s;
  const dx = new Float64Array(N * Cin * H * W);
  eachTap(N, Ho, Wo, H, W, KH, KW, s.stride, s.pad, (n, oh, ow, ih, iw, kh, kw) => {
    for (let co = 0; co < Cout; co++) {
      const g = dy[((n * Cout + co) * Ho + oh) * Wo + ow];
      for (let ci = 0; ci < Cin; ci++) dx[((n * Cin + ci) * H + ih) * W + iw] += g * w[((co * Cin + ci) * KH + kh) * KW + kw];
    }
  });
  return dx;
}

/** dw (Cout,Cin,KH,KW) and db (Cout) of conv given dy (N,Cout,Ho,Wo) and its input x. */
export function conv2dBackwardWeight(dy: Arr, x: Arr, s: Conv2dShape): { dw: Float64Array; db: Float64Array } {
  const { Ho, Wo } = convOut(s);
  const { N, Cin, H, W, Cout, KH, KW } = s;
  const dw = new Float64Array(Cout * Cin * KH * KW);
  const db = new Float64Array(Cout);
  eachTap(N, Ho, Wo, H, W, KH, KW, s.stride, s.pad, (n, oh, ow, ih, iw, kh, kw) => {
    for (let co = 0; co < Cout; co++) {
      const g = dy[((n * Cout + co) * Ho + oh) * Wo + ow];
      for (let ci = 0; ci < Cin; ci++) dw[((co * Cin + ci) * KH + kh) * KW + kw] += g * x[((n * Cin + ci) * H + ih) * W + iw];
    }
  });
  for (let n = 0; n < N; n++) for (let co = 0; co < Cout; co++) for (let i = 0; i < Ho * Wo; i++) db[co] += dy[(n * Cout + co) * Ho * Wo + i];
  return { dw, db };
}

/** y (N,Cout,Ho,Wo) = convTranspose(x (N,Cin,H,W), w (Cin,Cout,KH,KW)) + b (Cout): every input pixel scatters. */
export function convTranspose2dForward(x: Arr, w: Arr, b: Arr, s: ConvT2dShape): Float64Array {
  const { Ho, Wo } = convTOut(s);
  const { N, Cin, H, W, Cout, KH, KW } = s;
  const y = new Float64Array(N * Cout * Ho * Wo);
  for (let n = 0; n < N; n++) for (let co = 0; co < Cout; co++) y.fill(b[co], ((n * Cout + co) * Ho) * Wo, ((n * Cout + co + 1) * Ho) * Wo);
  eachTap(N, H, W, Ho, Wo, KH, KW, s.stride, s.pad, (n, ih, iw, oh, ow, kh, kw) => {
    for (let ci = 0; ci < Cin; ci++) {
      const v = x[((n * Cin + ci) * H + ih) * W + iw];
      for (let co = 0; co < Cout; co++) y[((n * Cout + co) * Ho + oh) * Wo + ow] += v * w[((ci * Cout + co) * KH + kh) * KW + kw];
    }
  });
  return y;
}

/** dx (N,Cin,H,W) of the transposed conv given dy (N,Cout,Ho,Wo). */
export function convTranspose2dBackwardData(dy: Arr, w: Arr, s: ConvT2dShape): Float64Array {
  const { Ho, Wo } = convTOut(s);
  const { N, Cin, H, W, Cout, KH, KW } = s;
  const dx = new Float64Array(N * Cin * H * W);
  eachTap(N, H, W, Ho, Wo, KH, KW, s.stride, s.pad, (n, ih, iw, oh, ow, kh, kw) => {
    for (let ci = 0; ci < Cin; ci++) {
      let acc = 0;
      for (let co = 0; co < Cout; co++) acc += dy[((n * Cout + co) * Ho + oh) * Wo + ow] * w[((ci * Cout + co) * KH + kh) * KW + kw];
      dx[((n * Cin + ci) * H + ih) * W + iw] += acc;
    }
  });
  return dx;
}

/** dw (Cin,Cout,KH,KW) and db (Cout) of the transposed conv given dy (N,Cout,Ho,Wo) and its input x. */
export function convTranspose2dBackwardWeight(dy: Arr, x: Arr, s: ConvT2dShape): { dw: Float64Array; db: Float64Array } {
  const { Ho, Wo } = convTOut(s);
  const { N, Cin, H, W, Cout, KH, KW } = s;
  const dw = new Float64Array(Cin * Cout * KH * KW);
  const db = new Float64Array(Cout);
  eachTap(N, H, W, Ho, Wo, KH, KW, s.stride, s.pad, (n, ih, iw, oh, ow, kh, kw) => {
    for (let ci = 0; ci < Cin; ci++) {
      const v = x[((n * Cin + ci) * H + ih) * W + iw];
      for (let co = 0; co < Cout; co++) dw[((ci * Cout + co) * KH + kh) * KW + kw] += v * dy[((n * Cout + co) * Ho + oh) * Wo + ow];
    }
  });
  for (let n = 0; n < N; n++) for (let co = 0; co < Cout; co++) for (let i = 0; i < Ho * Wo; i++) db[co] += dy[(n * Cout + co) * Ho * Wo + i];
  return { dw, db };
}
