// TEMPLATE (expanded by src/kernels/wgsl_template.ts when the pipeline is built).
// gemm_dytx, subgroup + texture variant for CPU-SIMD adapters: dW = dYᵀ · X and db = column sums
// of dY, the same contract as gemm_dytx.wgsl.
// dY: (M, N) row stride ldN = ceil4(N), read as rgba32float texels through `at` (pack_texture.wgsl)
// X: (M, K) row stride ldK, texels as dY
// dW: (ceil4(N), K) row stride ldK, storage (padding rows come out 0: dY's padding columns are 0)
// db: (ceil4(N)) storage
// One workgroup is one subgroup of LANES invocations. Lane l computes ROWS rows of dW (n0 = wg.y *
// ROWS ..) x one vec4 column (k4 = wg.x * LANES + l), summing outer products over the M rows.
// Per row m, the ROWS / 4 dY texels (m, n0/4 + q) are loaded one per lane and handed round with
// subgroupBroadcast, four rows m at a time; the workgroups of column block 0 then sum dY's
// columns for db.
// Template: a line with $q repeats for q < ROWS / 4 ($qt = q / LANES, $ql = q % LANES); a line
// with $t repeats for t < LOADS = ceil(ROWS / 4 / LANES); $LANES, $ROWS are replaced;
// $TEXTURE / $LEVEL: the inputs as sampled textures (`subgroup.rR`) or read-only storage textures
// (`storage.rR`, faster on llvmpipe: src/kernels/gemm_subgroup.ts).
// Dispatch: (ceil(ldK4 / LANES), ceil(ldN4 / (ROWS / 4)), 1) workgroups of LANES.
enable subgroups;

struct Dims { M: u32, ldN4: u32, ldK4: u32, _pad: u32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var dY: $TEXTURE;
@group(0) @binding(2) var X: $TEXTURE;
@group(0) @binding(3) var<storage, read_write> dW: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> db: array<vec4<f32>>;

fn at(i: u32) -> vec2<u32> { return vec2<u32>(i & 255u, i >> 8u); }

@compute @workgroup_size($LANES)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(subgroup_invocation_id) lane: u32) {
  let ldK4 = dims.ldK4;
  let ldN4 = dims.ldN4;
  let col = wg.x * $LANES + lane;
  // lanes past the last column compute a copy of it (every lane must take part in the broadcasts)
  let k4 = min(col, ldK4 - 1u);
  let q0 = wg.y * ($ROWS / 4u);
  // the dY texel column this lane loads for the others (clamped: past N it is never stored)
  let yc$t = min(q0 + lane + $LANES * $t, ldN4 - 1u);
  var a$q_0 = vec4<f32>(0.0);
  var a$q_1 = vec4<f32>(0.0);
  var a$q_2 = vec4<f32>(0.0);
  var a$q_3 = vec4<f32>(0.0);
  // four rows of the reduction per pass, so each accumulator takes four FMAs per load and store
  var m = 0u;
  for (; m + 3u < dims.M; m += 4u) {
    let x0 = textureLoad(X, at(m * ldK4 + k4)$LEVEL);
    let x1 = textureLoad(X, at((m + 1u) * ldK4 + k4)$LEVEL);
    let x2 = textureLoad(X, at((m + 2u) * ldK4 + k4)$LEVEL);
    let x3 = textureLoad(X, at((m + 3u) * ldK4 + k4)$LEVEL);
    let gl$t_0 = textureLoad(dY, at(m * ldN4 + yc$t)$LEVEL);
    let gl$t_1 = textureLoad(dY, at((m + 1u) * ldN4 + yc$t)$LEVEL);
    let gl$t_2 = textureLoad(dY, at((m + 2u) * ldN4 + yc$t)$LEVEL);
    let gl$t_3 = textureLoad(dY, at((m + 3u) * ldN4 + yc$t)$LEVEL);
    { let g0 = subgroupBroadcast(gl$qt_0, $qlu); let g1 = subgroupBroadcast(gl$qt_1, $qlu); let g2 = subgroupBroadcast(gl$qt_2, $qlu); let g3 = subgroupBroadcast(gl$qt_3, $qlu); a$q_0 = g0.x * x0 + (g1.x * x1 + (g2.x * x2 + (g3.x * x3 + a$q_0))); a$q_1 = g0.y * x0 + (g1.y * x1 + (g2.y * x2 + (g3.y * x3 + a$q_1))); a$q_2 = g0.z * x0 + (g1.z * x1 + (g2.z * x2 + (g3.z * x3 + a$q_2))); a$q_3 = g0.w * x0 + (g1.w * x1 + (g2.w * x2 + (g3.w * x3 + a$q_3))); }
  }
  for (; m < dims.M; m++) {
    let x = textureLoad(X, at(m * ldK4 + k4)$LEVEL);
    let gl$t = textureLoad(dY, at(m * ldN4 + yc$t)$LEVEL);
    { let g = subgroupBroadcast(gl$qt, $qlu); a$q_0 = g.x * x + a$q_0; a$q_1 = g.y * x + a$q_1; a$q_2 = g.z * x + a$q_2; a$q_3 = g.w * x + a$q_3; }
  }
  if (col < ldK4) {
    if (q0 + $q < ldN4) { let w = (q0 + $qu) * 4u * ldK4 + k4; dW[w] = a$q_0; dW[w + ldK4] = a$q_1; dW[w + 2u * ldK4] = a$q_2; dW[w + 3u * ldK4] = a$q_3; }
  }
  // db: column block 0 only (uniform per workgroup); lane l sums the dY texel column it loads
  if (wg.x == 0u) {
    var s$t = vec4<f32>(0.0);
    for (var m = 0u; m < dims.M; m++) {
      s$t += textureLoad(dY, at(m * ldN4 + yc$t)$LEVEL);
    }
    if (q0 + lane + $LANES * $t < ldN4) { db[q0 + lane + $LANES * $tu] = s$t; }
  }
}
