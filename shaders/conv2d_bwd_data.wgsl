// Conv2D backward to the input in NHWC: dx = (conv's adjoint applied to dy) ⊙ mask, the mask being
// LeakyReLU'(act) (slope SLOPE) of the layer that produced x when MASK. The same kernel is the
// transposed convolution's forward (launcher src/kernels/conv2d.ts), then with BIAS and LEAKY.
//   dx[n,ih,iw,ci] = sum over (kh,kw,co) with ih = oh*s-p+kh, iw = ow*s-p+kw (oh, ow in range) of
//                    dy[n,oh,ow,co] w[co,kh,kw,ci]
// dy: (N*Ho*Wo, Cout) row stride co4 vec4s      w: (ceil4(Cout), KH*KW*ci4 vec4s), padding 0
// dx: (N*H*W, Cin) row stride ci4 vec4s         act: like dx (only when MASK)   b: (ci4 vec4s) (only when BIAS)
// Why a gather over the input (not a scatter of dy): each dx element is written once, by one
// invocation, so no atomics and no zero-fill pass. With stride s only the taps with
// (ih + p - kh) divisible by s contribute; an invocation takes 4 pixels of one row that are s apart
// (iw = r, r+s, r+2s, r+3s + 4sb) so they share the same contributing taps and read 4 consecutive
// dy pixels: 4 pixels x 4 channels in registers per 8 vec4 loads, as in conv2d_fwd.
// Dispatch: 1-D index over N*H * s * nb * ci4 invocations (nb = ceil(ceil(W/s)/4) pixel groups per
// residue r), workgroups of 64, folded into (x, y) when needed.
override MASK: bool = false;
override BIAS: bool = false;
override LEAKY: bool = false;
override SLOPE: f32 = 0.01;

struct Geo {
  H: u32, W: u32, ci4: u32, rows: u32,       // dx height, width, vec4s per pixel; rows = N*H
  Ho: u32, Wo: u32, co4: u32, KW: u32,       // dy height, width, vec4s per pixel; kernel width
  KH: u32, stride: u32, pad: u32, nb: u32,
}

@group(0) @binding(0) var<uniform> geo: Geo;
@group(0) @binding(1) var<storage, read> dY: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> Wt: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> act: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> dX: array<vec4<f32>>;

fn finish(v: vec4<f32>, at: u32) -> vec4<f32> {
  var o = v;
  if (BIAS) { o += bias[at % geo.ci4]; }
  if (LEAKY) { o = select(o * SLOPE, o, o > vec4<f32>(0.0)); }
  if (MASK) { o = select(o * SLOPE, o, act[at] > vec4<f32>(0.0)); }
  return o;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.y * nwg.x * 64u + gid.x;
  let ci4 = geo.ci4;
  let c4 = idx % ci4;
  let g = idx / ci4;
  let blk = g % geo.nb;
  let g2 = g / geo.nb;
  let r = g2 % geo.stride;
  let row = g2 / geo.stride;  // n*H + ih
  if (row >= geo.rows) { return; }
  let s = i32(geo.stride);
  let iwFirst = r + geo.stride * 4u * blk;
  if (iwFirst >= geo.W) { return; }
  let ih = i32(row % geo.H);
  let img = (row / geo.H) * geo.Ho;
  let valid = vec4<u32>(iwFirst) + vec4<u32>(0u, 1u, 2u, 3u) * geo.stride < vec4<u32>(geo.W);
  let wrow = geo.KH * geo.KW * ci4;
  let Woi = vec4<i32>(i32(geo.Wo));
  var a0 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  for (var kh = 0u; kh < geo.KH; kh++) {
    let th = ih + i32(geo.pad) - i32(kh);
    if (th < 0 || th % s != 0) { continue; }
    let oh = u32(th / s);
    if (oh >= geo.Ho) { continue; }
    for (var kw = 0u; kw < geo.KW; kw++) {
      // iw_j + p - kw = (r + p - kw) + s*(4 blk + j): divisible by s for all four j or for none
      let tw = i32(r) + i32(geo.pad) - i32(kw);
      if (tw % s != 0) { continue; }
      let ow = vec4<i32>(tw / s + 4 * i32(blk)) + vec4<i32>(0, 1, 2, 3);
      let ok = valid & (ow >= vec4<i32>(0)) & (ow < Woi);
      let base = select(vec4<u32>(0u), ((img + oh) * geo.Wo + vec4<u32>(ow)) * geo.co4, ok);
      let t = (kh * geo.KW + kw) * ci4 + c4;
      for (var c = 0u; c < geo.co4; c++) {
        let w0 = Wt[(4u * c) * wrow + t];
        let w1 = Wt[(4u * c + 1u) * wrow + t];
        let w2 = Wt[(4u * c + 2u) * wrow + t];
        let w3 = Wt[(4u * c + 3u) * wrow + t];
        let g0 = select(vec4<f32>(0.0), dY[base.x + c], ok.x);
        let g1 = select(vec4<f32>(0.0), dY[base.y + c], ok.y);
        let g2v = select(vec4<f32>(0.0), dY[base.z + c], ok.z);
        let g3 = select(vec4<f32>(0.0), dY[base.w + c], ok.w);
        a0 += g0.x * w0 + g0.y * w1 + g0.z * w2 + g0.w * w3;
        a1 += g1.x * w0 + g1.y * w1 + g1.z * w2 + g1.w * w3;
        a2 += g2v.x * w0 + g2v.y * w1 + g2v.z * w2 + g2v.w * w3;
        a3 += g3.x * w0 + g3.y * w1 + g3.z * w2 + g3.w * w3;
      }
    }
  }
  let out0 = (row * geo.W + iwFirst) * ci4 + c4;
  let step = geo.stride * ci4;
  dX[out0] = finish(a0, out0);
  if (valid.y) { dX[out0 + step] = finish(a1, out0 + step); }
  if (valid.z) { dX[out0 + 2u * step] = finish(a2, out0 + 2u * step); }
  if (valid.w) { dX[out0 + 3u * step] = finish(a3, out0 + 3u * step); }
}
