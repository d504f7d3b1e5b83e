// The data movement of the conv families' `im2col` variants (src/kernels/conv_im2col.ts): each conv
// pass becomes one GEMM of the GEMM families (so every GEMM variant, the subgroup + texture ones on
// CPU adapters included, serves the convs too) plus these copies around it.
// Pairing as in src/kernels/conv_plan.ts: big pixel = small pixel * s - p + tap.
//   cols[q, t, c]  = big[n, oh*s-p+kh, ow*s-p+kw, c]  (0 outside big)   q = (n, oh, ow), t = (kh, kw)
//   big[P, c]      = finish(sum over (q, t) with P = q*s-p+t of cols[q, t, c])
// big: (N*Hb*Wb, Cb) row stride cb4 vec4s        cols: (N*Hs*Ws, KH*KW*cb4 vec4s), the column order
// of a conv weight row, so cols · wᵀ is the conv and small · w is its adjoint's cols
// The geometry comes as override constants, one pipeline per layer: llvmpipe has no vector integer
// division and splits every division by a uniform per lane, which cost more than the copies
// themselves; divisions by constants compile to multiplies and shifts.
// Entries (each a 1-D index in workgroups of 64, folded into (x, y) past the per-dimension limit):
//   im2col: one invocation per (small pixel, tap) (N*Hs*Ws * KH*KW), copying its cb4 vec4s
//   col2im: one invocation per vec4 of big (N*Hb*Wb*cb4); a gather over the taps whose small
//           pixel exists (so each vec4 is written once: no atomics, no zero fill), then + bias
//           (BIAS), LeakyReLU (LEAKY), ⊙ LeakyReLU'(act) (MASK), as conv2d_bwd_data finishes
//   finish: in place on a small image (N*Hs*Ws*cs4 vec4s): LeakyReLU (LEAKY), ⊙ LeakyReLU'(act)
//           (MASK), the epilogue conv2d_fwd fuses when the GEMM cannot
//   colsum: db[c] = sum of the ROWS rows of big's column vec4 c (launched with the summed matrix as
//           big: N = 1, HB = its rows, WB = 1); one workgroup of 64 per vec4 (CB4 workgroups), lanes
//           stride the rows and a tree in workgroup memory adds them
override MASK: bool = false;
override BIAS: bool = false;
override LEAKY: bool = false;
override SLOPE: f32 = 0.01;
override N: u32;                             // images
override HB: u32;                            // big height, width, vec4s per pixel
override WB: u32;
override CB4: u32;
override HS: u32;                            // small height, width, vec4s per pixel
override WS: u32;
override CS4: u32;
override KH: u32;                            // kernel, stride, padding
override KW: u32;
override STRIDE: u32;
override PAD: u32;
override ROWS: u32 = N * HB * WB;            // big pixels
override M: u32 = N * HS * WS;               // small pixels

@group(0) @binding(1) var<storage, read> big: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> cols: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> colsIn: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> bigOut: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read> act: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read_write> small: array<vec4<f32>>;
@group(0) @binding(8) var<storage, read_write> db: array<vec4<f32>>;

fn linear(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.y * nwg.x * 64u + gid.x; }

fn leakyMask(v: vec4<f32>, at: u32) -> vec4<f32> {
  var o = v;
  if (LEAKY) { o = select(o * SLOPE, o, o > vec4<f32>(0.0)); }
  if (MASK) { o = select(o * SLOPE, o, act[at] > vec4<f32>(0.0)); }
  return o;
}

@compute @workgroup_size(64)
fn im2col(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = linear(gid, nwg);  // (small pixel q, tap t)
  if (i >= M * KH * KW) { return; }
  let t = i % (KH * KW);
  let q = i / (KH * KW);
  let ow = q % WS;
  let oh = (q / WS) % HS;
  let n = q / (WS * HS);
  let ih = i32(oh * STRIDE + t / KW) - i32(PAD);
  let iw = i32(ow * STRIDE + t % KW) - i32(PAD);
  let ok = ih >= 0 && ih < i32(HB) && iw >= 0 && iw < i32(WB);
  // outside the image: read pixel 0 (always in bounds) and store 0
  let at = select(0u, ((n * HB + u32(ih)) * WB + u32(iw)) * CB4, ok);
  for (var c = 0u; c < CB4; c++) { cols[i * CB4 + c] = select(vec4<f32>(0.0), big[at + c], ok); }
}

@compute @workgroup_size(64)
fn col2im(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = linear(gid, nwg);
  if (i >= ROWS * CB4) { return; }
  let c = i % CB4;
  let P = i / CB4;
  let iw = i32(P % WB);
  let ih = i32((P / WB) % HB);
  let n = P / (WB * HB);
  let s = i32(STRIDE);
  let row = KH * KW * CB4;
  var a = vec4<f32>(0.0);
  for (var kh = 0u; kh < KH; kh++) {
    let th = ih + i32(PAD) - i32(kh);
    if (th < 0 || th % s != 0 || u32(th / s) >= HS) { continue; }
    for (var kw = 0u; kw < KW; kw++) {
      let tw = iw + i32(PAD) - i32(kw);
      if (tw < 0 || tw % s != 0 || u32(tw / s) >= WS) { continue; }
      let q = (n * HS + u32(th / s)) * WS + u32(tw / s);
      a += colsIn[q * row + (kh * KW + kw) * CB4 + c];
    }
  }
  if (BIAS) { a += bias[c]; }
  bigOut[i] = leakyMask(a, i);
}

@compute @workgroup_size(64)
fn finish(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = linear(gid, nwg);
  if (i >= M * CS4) { return; }
  small[i] = leakyMask(small[i], i);
}

var<workgroup> part: array<vec4<f32>, 64>;

@compute @workgroup_size(64)
fn colsum(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let c = wid.x;
  var s = vec4<f32>(0.0);
  for (var r = lid.x; r < ROWS; r += 64u) { s += big[r * CB4 + c]; }
  part[lid.x] = s;
  workgroupBarrier();
  for (var h = 32u; h > 0u; h >>= 1u) {
    if (lid.x < h) { part[lid.x] += part[lid.x + h]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { db[c] = part[0]; }
}
