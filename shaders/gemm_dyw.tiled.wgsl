// TEMPLATE (TM, TN4, BK filled in by src/kernels/gemm_tiled.ts when the pipeline is built).
// gemm_dyw, workgroup-tiled register-blocked variant for GPUs: dX = (dY · W) ⊙ [A > 0], the same
// contract as gemm_dyw.wgsl (its MASK and SLOPE are the uniforms mask and slope here: one pipeline
// per tile instead of three, and a uniform branch per output costs a GPU nothing).
// dY: (M, N) row stride ldN = ceil4(N), padding 0      W: (ceil4(N), K) row stride ldK, padding 0
// A, dX: (M, K) row stride ldK = ceil4(K)
// A workgroup of 16x16 invocations computes a BM x (4 BN4) tile of dX (BM = 16 TM, BN4 = 16 TN4),
// stepping BK along N: the invocations copy dY's slice into workgroup memory transposed (n outer)
// and W's slice as it is (its rows are n already); after a barrier each invocation accumulates
// TM rows x TN4 vec4 columns in registers (layout and reuse as in gemm_xwt.tiled.wgsl).
// Rows, columns and n past the matrix are read as 0 and never stored: any M, N, K.
// Not for CPU adapters: each barrier is a coroutine switch there (src/tune/cpu_adapter.ts).
// Dispatch: (ceil(ldK4 / BN4), ceil(M / BM), 1) workgroups of 16x16.
const TM: u32 = $TM;       // rows of dX per invocation (a multiple of 4)
const TN4: u32 = $TN4;     // vec4 columns of dX per invocation
const BK: u32 = $BK;       // n per step (a multiple of 4)
const BM: u32 = 16u * TM;
const BN4: u32 = 16u * TN4;
const BK4: u32 = BK / 4u;

struct Dims { M: u32, ldN4: u32, ldK4: u32, mask: u32, slope: f32 }  // ld in vec4 units

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dY: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> dX: array<vec4<f32>>;

// ys[n * BM/4 + r/4][r % 4] = dY[m0 + r, n0 + n];  ws[n * BN4 + q] = W[n0 + n, 4 (k04 + q) ..]
var<workgroup> ys: array<vec4<f32>, BK * BM / 4u>;
var<workgroup> ws: array<vec4<f32>, BK * BN4>;

// one branch (the mask's load) and selects: the epilogue is unrolled TM * TN4 times, and more
// branches there made llvmpipe's compile take seconds
fn finish(v: vec4<f32>, row: u32, k4: u32) -> vec4<f32> {
  var a = vec4<f32>(1.0);
  if (dims.mask != 0u) { a = A[row * dims.ldK4 + k4]; }
  return select(dims.slope * v, v, a > vec4<f32>(0.0));
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let M = dims.M;
  let ldN4 = dims.ldN4;
  let ldK4 = dims.ldK4;
  let m0 = wg.y * BM;
  let k04 = wg.x * BN4;  // the tile's first vec4 column
  let rows4 = lid.y * (TM / 4u);  // the first vec4 of this invocation's rows in ys
  var acc: array<vec4<f32>, TM * TN4>;  // [i * TN4 + j]: row ty*TM + i, vec4 column tx + 16 j
  for (var n04 = 0u; n04 < ldN4; n04 += BK4) {
    for (var l = 0u; l < BM * BK4 / 256u; l++) {
      let i = li + 256u * l;
      let r = i / BK4;
      let q = i % BK4;
      var v = vec4<f32>(0.0);
      if (m0 + r < M && n04 + q < ldN4) { v = dY[(m0 + r) * ldN4 + n04 + q]; }
      let at = 4u * q * (BM / 4u) + r / 4u;
      ys[at][r % 4u] = v.x;
      ys[at + BM / 4u][r % 4u] = v.y;
      ys[at + 2u * (BM / 4u)][r % 4u] = v.z;
      ys[at + 3u * (BM / 4u)][r % 4u] = v.w;
    }
    for (var l = 0u; l < BK * BN4 / 256u; l++) {
      let i = li + 256u * l;
      let r = i / BN4;
      let q = i % BN4;
      var v = vec4<f32>(0.0);
      if (4u * n04 + r < 4u * ldN4 && k04 + q < ldK4) { v = W[(4u * n04 + r) * ldK4 + k04 + q]; }
      ws[i] = v;
    }
    workgroupBarrier();
    for (var n = 0u; n < BK; n++) {
      var a: array<vec4<f32>, TM / 4u>;
      for (var i = 0u; i < TM / 4u; i++) { a[i] = ys[n * (BM / 4u) + rows4 + i]; }
      var b: array<vec4<f32>, TN4>;
      for (var j = 0u; j < TN4; j++) { b[j] = ws[n * BN4 + lid.x + 16u * j]; }
      for (var i = 0u; i < TM; i++) {
        let s = a[i / 4u][i % 4u];
        for (var j = 0u; j < TN4; j++) { acc[i * TN4 + j] += s * b[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < TM; i++) {
    let m = m0 + lid.y * TM + i;
    for (var j = 0u; j < TN4; j++) {
      let k4 = k04 + lid.x + 16u * j;
      if (m < M && k4 < ldK4) { dX[m * ldK4 + k4] = finish(acc[i * TN4 + j], m, k4); }
    }
  }
}
