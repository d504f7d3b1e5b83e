// TEMPLATE (TM, TN4, BK filled in by src/kernels/gemm_tiled.ts when the pipeline is built).
// gemm_xwt, workgroup-tiled register-blocked variant for GPUs: Y = act(X · Wᵀ + b), the same
// contract as gemm_xwt.wgsl (its RELU and SLOPE are the uniforms relu and slope here: one pipeline
// per tile instead of three, and a uniform branch per output costs a GPU nothing).
// X: (M, K) row stride ldK = ceil4(K)          W: (ceil4(N), K) row stride ldK, padding rows 0
// b: (ceil4(N)), padding 0                      Y: (M, N) row stride ldN = ceil4(N)
// A workgroup of 16x16 invocations computes a BM x (4 BN4) tile of Y (BM = 16 TM, BN4 = 16 TN4).
// Per step of BK along K, each invocation copies vec4s of X's and W's slices into workgroup
// memory, transposed so that k is the outer index; after a barrier each invocation accumulates
// TM rows x TN4 vec4 columns in registers: per k, TM/4 + TN4 vec4 reads feed TM * TN4 vec4 FMAs.
// Invocation (tx, ty) owns the tile's rows ty*TM .. ty*TM + TM-1 (contiguous: one vec4 read serves
// four rows, and the 16 invocations of a row read one address) and its vec4 columns tx + 16 j
// (strided: neighbours read neighbouring vec4s and store to neighbouring addresses).
// Rows, columns and k past the matrix are read as 0 and never stored: any M, N, K.
// Not for CPU adapters: each barrier is a coroutine switch there (src/tune/cpu_adapter.ts).
// Dispatch: (ceil(ldN4 / BN4), ceil(M / BM), 1) workgroups of 16x16.
const TM: u32 = $TM;       // rows of Y per invocation (a multiple of 4)
const TN4: u32 = $TN4;     // vec4 columns of Y per invocation
const BK: u32 = $BK;       // k per step (a multiple of 4)
const BM: u32 = 16u * TM;
const BN4: u32 = 16u * TN4;
const BK4: u32 = BK / 4u;

struct Dims { M: u32, ldN4: u32, ldK4: u32, relu: u32, slope: f32 }  // ld in vec4 units

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f32>>;

// xs[k * BM/4 + r/4][r % 4] = X[m0 + r, k0 + k];  ws[k * BN4 + c/4][c % 4] = W[n0 + c, k0 + k]
var<workgroup> xs: array<vec4<f32>, BK * BM / 4u>;
var<workgroup> ws: array<vec4<f32>, BK * BN4>;

// branch-free: the epilogue is unrolled TM * TN4 times, and branches there made llvmpipe's
// compile take seconds
fn finish(v: vec4<f32>) -> vec4<f32> {
  let act = select(select(dims.slope * v, v, v > vec4<f32>(0.0)), max(v, vec4<f32>(0.0)), dims.slope == 0.0);
  return select(v, act, dims.relu != 0u);
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let M = dims.M;
  let ldN4 = dims.ldN4;
  let ldK4 = dims.ldK4;
  let m0 = wg.y * BM;
  let n0 = wg.x * BN4 * 4u;  // first row of W, first column of Y
  let rows4 = lid.y * (TM / 4u);  // the first vec4 of this invocation's rows in xs
  var acc: array<vec4<f32>, TM * TN4>;  // [i * TN4 + j]: row ty*TM + i, vec4 column tx + 16 j
  for (var k04 = 0u; k04 < ldK4; k04 += BK4) {
    // the slices: BM rows of X and 4 BN4 rows of W, BK4 vec4s each, stored transposed
    for (var l = 0u; l < BM * BK4 / 256u; l++) {
      let i = li + 256u * l;
      let r = i / BK4;
      let q = i % BK4;
      var v = vec4<f32>(0.0);
      if (m0 + r < M && k04 + q < ldK4) { v = X[(m0 + r) * ldK4 + k04 + q]; }
      let at = 4u * q * (BM / 4u) + r / 4u;
      xs[at][r % 4u] = v.x;
      xs[at + BM / 4u][r % 4u] = v.y;
      xs[at + 2u * (BM / 4u)][r % 4u] = v.z;
      xs[at + 3u * (BM / 4u)][r % 4u] = v.w;
    }
    for (var l = 0u; l < BN4 * BK / 256u; l++) {
      let i = li + 256u * l;
      let r = i / BK4;
      let q = i % BK4;
      var v = vec4<f32>(0.0);
      if (n0 + r < 4u * ldN4 && k04 + q < ldK4) { v = W[(n0 + r) * ldK4 + k04 + q]; }
      let at = 4u * q * BN4 + r / 4u;
      ws[at][r % 4u] = v.x;
      ws[at + BN4][r % 4u] = v.y;
      ws[at + 2u * BN4][r % 4u] = v.z;
      ws[at + 3u * BN4][r % 4u] = v.w;
    }
    workgroupBarrier();
    for (var k = 0u; k < BK; k++) {
      var a: array<vec4<f32>, TM / 4u>;
      for (var i = 0u; i < TM / 4u; i++) { a[i] = xs[k * (BM / 4u) + rows4 + i]; }
      var b: array<vec4<f32>, TN4>;
      for (var j = 0u; j < TN4; j++) { b[j] = ws[k * BN4 + lid.x + 16u * j]; }
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
      let n4 = wg.x * BN4 + lid.x + 16u * j;
      if (m < M && n4 < ldN4) { Y[m * ldN4 + n4] = finish(acc[i * TN4 + j] + bias[n4]); }
    }
  }
}
