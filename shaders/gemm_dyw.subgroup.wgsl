// TEMPLATE (expanded by src/kernels/wgsl_template.ts when the pipeline is built).
// gemm_dyw, subgroup + texture variant for CPU-SIMD adapters: dX = (dY · W) ⊙ [A > 0], the same
// contract as gemm_dyw.wgsl (MASK, SLOPE as there).
// dY: (M, N) row stride ldN = ceil4(N), read as rgba32float texels through `at` (pack_texture.wgsl)
// W: (ceil4(N), K) row stride ldK, texels as dY       A, dX: (M, K) row stride ldK, storage
// One workgroup is one subgroup of LANES invocations. Lane l computes ROWS rows x one vec4 column
// (k4 = wg.x * LANES + l) of dX. Each lane loads different dY texels (rows m0 + l + LANES*t) and
// subgroupBroadcast hands each to the others; the FMAs are written row by row (see
// gemm_xwt.subgroup.wgsl for why).
// Template: a line with $r repeats for r < ROWS ($rt = r / LANES, $rl = r % LANES); a line with
// $t repeats for t < LOADS = ROWS / LANES; $LANES, $ROWS are replaced;
// $TEXTURE / $LEVEL: the inputs as sampled textures (`subgroup.rR`) or read-only storage textures
// (`storage.rR`, faster on llvmpipe: src/kernels/gemm_subgroup.ts).
// Dispatch: (ceil(ldK4 / LANES), ceil(M / ROWS), 1) workgroups of LANES.
enable subgroups;

// MASK and SLOPE stay overrides (gemm_xwt.subgroup.wgsl has uniforms): as uniforms, the 64 inlined
// copies of finish() with their branches and mask loads made llvmpipe's compile run for minutes.
override MASK: bool = false;
override SLOPE: f32 = 0.0;

struct Dims { M: u32, ldN4: u32, ldK4: u32, _pad: u32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var dY: $TEXTURE;
@group(0) @binding(2) var W: $TEXTURE;
@group(0) @binding(3) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> dX: array<vec4<f32>>;

fn at(i: u32) -> vec2<u32> { return vec2<u32>(i & 255u, i >> 8u); }

fn finish(v: vec4<f32>, row: u32, k4: u32) -> vec4<f32> {
  if (MASK && SLOPE == 0.0) { return select(vec4<f32>(0.0), v, A[row * dims.ldK4 + k4] > vec4<f32>(0.0)); }
  if (MASK) { return select(SLOPE * v, v, A[row * dims.ldK4 + k4] > vec4<f32>(0.0)); }
  return v;
}

@compute @workgroup_size($LANES)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(subgroup_invocation_id) lane: u32) {
  let ldK4 = dims.ldK4;
  let ldN4 = dims.ldN4;
  let col = wg.x * $LANES + lane;
  // lanes past the last column compute a copy of it (every lane must take part in the broadcasts)
  let k4 = min(col, ldK4 - 1u);
  let m0 = wg.y * $ROWS;
  let last = dims.M - 1u;
  let yr$t = min(m0 + lane + $LANES * $t, last) * ldN4;
  var acc$r = vec4<f32>(0.0);
  for (var n4 = 0u; n4 < ldN4; n4++) {
    let w = n4 * 4u * ldK4 + k4;
    let b0 = textureLoad(W, at(w)$LEVEL);
    let b1 = textureLoad(W, at(w + ldK4)$LEVEL);
    let b2 = textureLoad(W, at(w + 2u * ldK4)$LEVEL);
    let b3 = textureLoad(W, at(w + 3u * ldK4)$LEVEL);
    let gl$t = textureLoad(dY, at(yr$t + n4)$LEVEL);
    { let g = subgroupBroadcast(gl$rt, $rlu); acc$r = g.x * b0 + (g.y * b1 + (g.z * b2 + (g.w * b3 + acc$r))); }
  }
  if (col >= ldK4) { return; }
  if (m0 + $r < dims.M) { dX[(m0 + $ru) * ldK4 + k4] = finish(acc$r, m0 + $ru, k4); }
}
