// TEMPLATE (TM, TN4, BK filled in by src/kernels/gemm_tiled.ts when the pipeline is built).
// gemm_dytx, workgroup-tiled register-blocked variant for GPUs: dW = dYᵀ · X and db = column sums
// of dY, the same contract as gemm_dytx.wgsl.
// dY: (M, N) row stride ldN = ceil4(N), padding 0      X: (M, K) row stride ldK, padding 0
// dW: (ceil4(N), K) row stride ldK (padding rows come out 0)    db: (ceil4(N))
// A workgroup of 16x16 invocations computes a BM x (4 BN4) tile of dW (BM = 16 TM rows of N,
// BN4 = 16 TN4 vec4 columns of K), stepping BK along M: both slices are copied into workgroup
// memory as they are (row m of dY and of X is already the outer index); after a barrier each
// invocation accumulates TM rows x TN4 vec4 columns in registers (layout and reuse as in
// gemm_xwt.tiled.wgsl). Each invocation also sums the dY values it reads, so the column-block-0
// workgroups' tx = 0 invocations hold db for their rows at the end.
// Rows, columns and m past the matrix are read as 0 and never stored: any M, N, K.
// Not for CPU adapters: each barrier is a coroutine switch there (src/tune/cpu_adapter.ts).
// Dispatch: (ceil(ldK4 / BN4), ceil(ldN4 * 4 / BM), 1) workgroups of 16x16.
const TM: u32 = $TM;       // rows of dW per invocation (a multiple of 4)
const TN4: u32 = $TN4;     // vec4 columns of dW per invocation
const BK: u32 = $BK;       // m per step
const BM: u32 = 16u * TM;
const BN4: u32 = 16u * TN4;

struct Dims { M: u32, ldN4: u32, ldK4: u32, _pad: u32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dY: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dW: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> db: array<vec4<f32>>;

// ys[m * BM/4 + q] = dY[m0 + m, 4 (n04 + q) ..];  xs[m * BN4 + q] = X[m0 + m, 4 (k04 + q) ..]
var<workgroup> ys: array<vec4<f32>, BK * BM / 4u>;
var<workgroup> xs: array<vec4<f32>, BK * BN4>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let M = dims.M;
  let ldN4 = dims.ldN4;
  let ldK4 = dims.ldK4;
  let n04 = wg.y * (BM / 4u);  // the tile's first vec4 of dY's columns (first row of dW / 4)
  let k04 = wg.x * BN4;        // the tile's first vec4 column of dW
  let rows4 = lid.y * (TM / 4u);  // the first vec4 of this invocation's rows in ys
  var acc: array<vec4<f32>, TM * TN4>;  // [i * TN4 + j]: row ty*TM + i, vec4 column tx + 16 j
  var sum: array<vec4<f32>, TM / 4u>;   // this invocation's rows of db
  for (var m0 = 0u; m0 < M; m0 += BK) {
    for (var l = 0u; l < BK * BM / 4u / 256u; l++) {
      let i = li + 256u * l;
      let r = i / (BM / 4u);
      let q = i % (BM / 4u);
      var v = vec4<f32>(0.0);
      if (m0 + r < M && n04 + q < ldN4) { v = dY[(m0 + r) * ldN4 + n04 + q]; }
      ys[i] = v;
    }
    for (var l = 0u; l < BK * BN4 / 256u; l++) {
      let i = li + 256u * l;
      let r = i / BN4;
      let q = i % BN4;
      var v = vec4<f32>(0.0);
      if (m0 + r < M && k04 + q < ldK4) { v = X[(m0 + r) * ldK4 + k04 + q]; }
      xs[i] = v;
    }
    workgroupBarrier();
    for (var m = 0u; m < BK; m++) {
      var a: array<vec4<f32>, TM / 4u>;
      for (var i = 0u; i < TM / 4u; i++) {
        a[i] = ys[m * (BM / 4u) + rows4 + i];
        sum[i] += a[i];
      }
      var b: array<vec4<f32>, TN4>;
      for (var j = 0u; j < TN4; j++) { b[j] = xs[m * BN4 + lid.x + 16u * j]; }
      for (var i = 0u; i < TM; i++) {
        let s = a[i / 4u][i % 4u];
        for (var j = 0u; j < TN4; j++) { acc[i * TN4 + j] += s * b[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < TM; i++) {
    let n = 4u * n04 + lid.y * TM + i;
    for (var j = 0u; j < TN4; j++) {
      let k4 = k04 + lid.x + 16u * j;
      if (n < 4u * ldN4 && k4 < ldK4) { dW[n * ldK4 + k4] = acc[i * TN4 + j]; }
    }
  }
  if (wg.x == 0u && lid.x == 0u) {
    for (var i = 0u; i < TM / 4u; i++) {
      if (n04 + rows4 + i < ldN4) { db[n04 + rows4 + i] = sum[i]; }
    }
  }
}
