// Conv2D backward to the weights and bias in NHWC, split over pixels (split-K) so that layers with
// few weights still fill a GPU:
//   dw[co,kh,kw,ci] = sum_{n,oh,ow} dy[n,oh,ow,co] x[n, oh*s-p+kh, ow*s-p+kw, ci]   (0 outside x)
//   db[c]           = sum over the rows of B of B[row, c]   (B = dy for a conv; for a transposed
//                     conv, which reuses this kernel with x = its dy and dy = its input, B = its dy)
// x: (N*H*W, Cin) row stride ci4 vec4s     dy: (M = N*Ho*Wo, Cout) row stride co4 vec4s
// B: (rowsB, b4 vec4s)                     dw: (ceil4(Cout), KH*KW*ci4 vec4s)   db: (b4 vec4s)
// Entry `partial`: split z (workgroup row gid.y) sums dy pixels [z*chunk, (z+1)*chunk) and B rows
// [z*chunkB, (z+1)*chunkB) into block z of outW/outB (blocks of wv and b4 vec4s). With one split
// the launcher binds dw and db themselves as outW/outB and `reduce` is not dispatched.
// One invocation computes 4 output channels x 1 vec4 of input channels of one tap (outer products
// of a dy vec4 and an x vec4 per pixel); index item = ((co4*taps + tap)*ci4 + c) so neighbouring
// invocations read neighbouring x vec4s of the same pixel; items past wv sum B.
// Dispatch partial: (ceil((wv/4 + b4)/64), S) workgroups of 64 (wv = vec4s of dw).
// Entry `reduce`: one invocation per vec4 of dw and db sums the S blocks; 1-D, folded into (x, y).
struct Geo {
  H: u32, W: u32, ci4: u32, M: u32,          // x height, width, vec4s per pixel; dy pixels
  Ho: u32, Wo: u32, co4: u32, KW: u32,       // dy height, width, vec4s per pixel; kernel width
  KH: u32, stride: u32, pad: u32, chunk: u32,
  b4: u32, rowsB: u32, chunkB: u32, S: u32,
}

@group(0) @binding(0) var<uniform> geo: Geo;
@group(0) @binding(1) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> dY: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> outW: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> outB: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read> partW: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read> partB: array<vec4<f32>>;
@group(0) @binding(8) var<storage, read_write> dW: array<vec4<f32>>;
@group(0) @binding(9) var<storage, read_write> dB: array<vec4<f32>>;

fn wv() -> u32 { return geo.co4 * 4u * geo.KH * geo.KW * geo.ci4; }

@compute @workgroup_size(64)
fn partial(@builtin(global_invocation_id) gid: vec3<u32>) {
  let item = gid.x;
  let z = gid.y;
  let ci4 = geo.ci4;
  let taps = geo.KH * geo.KW;
  let items = geo.co4 * taps * ci4;
  if (item >= items) {
    let cb = item - items;
    if (cb >= geo.b4) { return; }
    let r0 = z * geo.chunkB;
    let r1 = min(r0 + geo.chunkB, geo.rowsB);
    var s = vec4<f32>(0.0);
    for (var r = r0; r < r1; r++) { s += B[r * geo.b4 + cb]; }
    outB[z * geo.b4 + cb] = s;
    return;
  }
  let c = item % ci4;
  let q = item / ci4;
  let tap = q % taps;
  let c4o = q / taps;
  let kh = tap / geo.KW;
  let kw = tap % geo.KW;
  let p0 = z * geo.chunk;
  let p1 = min(p0 + geo.chunk, geo.M);
  // walk the chunk's pixels in order, carrying (n, oh, ow) instead of dividing per pixel
  var ow = p0 % geo.Wo;
  var oh = (p0 / geo.Wo) % geo.Ho;
  var n = p0 / (geo.Wo * geo.Ho);
  let off = i32(kh) - i32(geo.pad);
  let offw = i32(kw) - i32(geo.pad);
  var a0 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  for (var p = p0; p < p1; p++) {
    let ih = i32(oh * geo.stride) + off;
    let iw = i32(ow * geo.stride) + offw;
    if (ih >= 0 && ih < i32(geo.H) && iw >= 0 && iw < i32(geo.W)) {
      let x = X[((n * geo.H + u32(ih)) * geo.W + u32(iw)) * ci4 + c];
      let g = dY[p * geo.co4 + c4o];
      a0 += g.x * x;
      a1 += g.y * x;
      a2 += g.z * x;
      a3 += g.w * x;
    }
    ow++;
    if (ow == geo.Wo) { ow = 0u; oh++; if (oh == geo.Ho) { oh = 0u; n++; } }
  }
  let rowLen = taps * ci4;
  let o = z * wv() + (c4o * 4u) * rowLen + tap * ci4 + c;
  outW[o] = a0;
  outW[o + rowLen] = a1;
  outW[o + 2u * rowLen] = a2;
  outW[o + 3u * rowLen] = a3;
}

@compute @workgroup_size(64)
fn reduce(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.y * nwg.x * 64u + gid.x;
  let n = wv();
  if (i < n) {
    var s = vec4<f32>(0.0);
    for (var z = 0u; z < geo.S; z++) { s += partW[z * n + i]; }
    dW[i] = s;
  } else if (i - n < geo.b4) {
    let c = i - n;
    var s = vec4<f32>(0.0);
    for (var z = 0u; z < geo.S; z++) { s += partB[z * geo.b4 + c]; }
    dB[c] = s;
  }
}
