// Conv2D forward as an implicit GEMM in NHWC: y = act(conv(x, w) + b), act = LeakyReLU(SLOPE)
// when LEAKY else identity. The same kernel computes the transposed convolution's backward to its
// input (launcher src/kernels/conv2d.ts; there b is all zeros and, when MASK, the result is
// multiplied by LeakyReLU'(m) of the layer that produced that input).
//   y[n,oh,ow,co] = b[co] + sum_{kh,kw,ci} x[n, oh*s-p+kh, ow*s-p+kw, ci] w[co,kh,kw,ci]  (0 outside x)
// x: (N*H*W, Cin) rows = pixels, row stride ci4 vec4s (Cin padded to 4, padding 0)
// w: (ceil4(Cout), KH*KW*ci4 vec4s) row-major, row co = taps (kh,kw) of ci4 vec4s; padding 0
// b: (ceil4(Cout)), padding 0            y: (N*Ho*Wo, Cout) row stride co4 vec4s   m: like y (MASK)
// Why NHWC + implicit GEMM: channels are the contiguous, vec4-loadable axis for x, w and y alike,
// so each tap is a K = Cin dot product of whole vec4s (the house GEMM's inner loop) and padding
// channels stay 0 with no tail cases; no im2col buffer is materialised (it would be KH*KW times x).
// One invocation computes 4 consecutive output pixels x 4 output channels in registers (16 dot
// products per 8 vec4 loads), no workgroup memory: real GPUs serve the reuse of x across channel
// blocks and of w across pixels from L1, and software adapters pay dearly for barriers.
// Dispatch: 1-D index over ceil(M/4) * co4 invocations (M = N*Ho*Wo), workgroups of 64, folded
// into (x, y) when more than maxComputeWorkgroupsPerDimension are needed.
override LEAKY: bool = false;
override MASK: bool = false;
override SLOPE: f32 = 0.01;

struct Geo {
  H: u32, W: u32, ci4: u32, M: u32,          // input height, width, vec4s per input pixel; output pixels
  Ho: u32, Wo: u32, co4: u32, KW: u32,       // output height, width, vec4s per output pixel; kernel width
  KH: u32, stride: u32, pad: u32, _p: u32,
}

@group(0) @binding(0) var<uniform> geo: Geo;
@group(0) @binding(1) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> Wt: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> mask: array<vec4<f32>>;

fn act(v: vec4<f32>, at: u32) -> vec4<f32> {
  var o = v;
  if (LEAKY) { o = select(o * SLOPE, o, o > vec4<f32>(0.0)); }
  if (MASK) { o = select(o * SLOPE, o, mask[at] > vec4<f32>(0.0)); }
  return o;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.y * nwg.x * 64u + gid.x;
  let c4 = idx % geo.co4;
  let p0 = (idx / geo.co4) * 4u;
  if (p0 >= geo.M) { return; }
  // the four pixels' top-left input corners; pixels past M repeat the last one and are not stored
  var ih0: vec4<i32>;
  var iw0: vec4<i32>;
  var img: vec4<u32>;
  for (var j = 0u; j < 4u; j++) {
    let p = min(p0 + j, geo.M - 1u);
    let ow = p % geo.Wo;
    let t = p / geo.Wo;
    ih0[j] = i32((t % geo.Ho) * geo.stride) - i32(geo.pad);
    iw0[j] = i32(ow * geo.stride) - i32(geo.pad);
    img[j] = (t / geo.Ho) * geo.H;
  }
  let ci4 = geo.ci4;
  let wrow = geo.KH * geo.KW * ci4;  // vec4s per weight row
  let w0 = c4 * 4u * wrow;
  let w1 = w0 + wrow;
  let w2 = w1 + wrow;
  let w3 = w2 + wrow;
  let Hi = vec4<i32>(i32(geo.H));
  let Wi = vec4<i32>(i32(geo.W));
  var a0 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  var t = 0u;  // vec4 offset of the current tap within a weight row
  for (var kh = 0u; kh < geo.KH; kh++) {
    let ih = ih0 + vec4<i32>(i32(kh));
    let okh = (ih >= vec4<i32>(0)) & (ih < Hi);
    for (var kw = 0u; kw < geo.KW; kw++) {
      let iw = iw0 + vec4<i32>(i32(kw));
      let ok = okh & (iw >= vec4<i32>(0)) & (iw < Wi);
      // out-of-image taps read pixel 0 and are zeroed by the select: no out-of-bounds index
      let base = select(vec4<u32>(0u), ((img + vec4<u32>(ih)) * geo.W + vec4<u32>(iw)) * ci4, ok);
      for (var c = 0u; c < ci4; c++) {
        let b0 = Wt[w0 + t + c];
        let b1 = Wt[w1 + t + c];
        let b2 = Wt[w2 + t + c];
        let b3 = Wt[w3 + t + c];
        let r0 = select(vec4<f32>(0.0), X[base.x + c], ok.x);
        let r1 = select(vec4<f32>(0.0), X[base.y + c], ok.y);
        let r2 = select(vec4<f32>(0.0), X[base.z + c], ok.z);
        let r3 = select(vec4<f32>(0.0), X[base.w + c], ok.w);
        a0 += vec4<f32>(dot(r0, b0), dot(r0, b1), dot(r0, b2), dot(r0, b3));
        a1 += vec4<f32>(dot(r1, b0), dot(r1, b1), dot(r1, b2), dot(r1, b3));
        a2 += vec4<f32>(dot(r2, b0), dot(r2, b1), dot(r2, b2), dot(r2, b3));
        a3 += vec4<f32>(dot(r3, b0), dot(r3, b1), dot(r3, b2), dot(r3, b3));
      }
      t += ci4;
    }
  }
  let b = bias[c4];
  let co4 = geo.co4;
  let o = p0 * co4 + c4;
  Y[o] = act(a0 + b, o);
  if (p0 + 1u < geo.M) { Y[o + co4] = act(a1 + b, o + co4); }
  if (p0 + 2u < geo.M) { Y[o + 2u * co4] = act(a2 + b, o + 2u * co4); }
  if (p0 + 3u < geo.M) { Y[o + 3u * co4] = act(a3 + b, o + 3u * co4); }
}
