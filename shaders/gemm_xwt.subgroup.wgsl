// TEMPLATE (expanded by src/kernels/wgsl_template.ts when the pipeline is built).
// gemm_xwt, subgroup + texture variant for CPU-SIMD adapters (llvmpipe, SwiftShader):
// Y = act(X · Wᵀ + b), the same contract as gemm_xwt.wgsl (relu, slope as its RELU, SLOPE).
// X: (M, K) row stride ldK, read as rgba32float texels through `at` (packed by pack_texture.wgsl)
// W: (ceil4(N), K) row stride ldK, texels as X             b: (ceil4(N)) storage, padding 0
// Y: (M, N) row stride ldN = ceil4(N), storage
// One workgroup is one subgroup of LANES invocations. Lane l computes ROWS rows x one vec4 column
// (n4 = wg.x * LANES + l) of Y. Each lane loads different X texels (rows m0 + l + LANES*t) and
// subgroupBroadcast hands each to the others, so one load feeds LANES lanes; the FMAs are written
// row by row (a*b + c: fma() is lowered to mul + add on llvmpipe anyway) to keep accumulators in
// registers. Texture loads are one branch-free fetch; storage loads are split per lane on llvmpipe.
// Template: a line with $r repeats for r < ROWS ($rt = r / LANES, $rl = r % LANES); a line with
// $t repeats for t < LOADS = ROWS / LANES; $LANES, $ROWS are replaced;
// $TEXTURE / $LEVEL: the inputs as sampled textures (`subgroup.rR`) or read-only storage textures
// (`storage.rR`, faster on llvmpipe: src/kernels/gemm_subgroup.ts).
// Dispatch: (ceil(ldN4 / LANES), ceil(M / ROWS), 1) workgroups of LANES.
enable subgroups;

// relu and slope are uniforms, not overrides as in gemm_xwt.wgsl: they are read once per output,
// and each override set would compile this long shader again.
struct Dims { M: u32, ldN4: u32, ldK4: u32, relu: u32, slope: f32 }  // ld in vec4 units

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var X: $TEXTURE;
@group(0) @binding(2) var W: $TEXTURE;
@group(0) @binding(3) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f32>>;

// texel i of a packed matrix (pack_texture.wgsl: 256 texels a texture row)
fn at(i: u32) -> vec2<u32> { return vec2<u32>(i & 255u, i >> 8u); }

fn finish(v: vec4<f32>) -> vec4<f32> {
  if (dims.relu != 0u && dims.slope == 0.0) { return max(v, vec4<f32>(0.0)); }
  if (dims.relu != 0u) { return select(dims.slope * v, v, v > vec4<f32>(0.0)); }
  return v;
}

@compute @workgroup_size($LANES)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(subgroup_invocation_id) lane: u32) {
  let ldK4 = dims.ldK4;
  let ldN4 = dims.ldN4;
  let col = wg.x * $LANES + lane;
  // lanes past the last column compute a copy of it (every lane must take part in the broadcasts)
  let n4 = min(col, ldN4 - 1u);
  let m0 = wg.y * $ROWS;
  let last = dims.M - 1u;
  let xr$t = min(m0 + lane + $LANES * $t, last) * ldK4;
  let w0 = n4 * 4u * ldK4;
  var acc$r = vec4<f32>(0.0);
  for (var k = 0u; k < ldK4; k++) {
    let wa = textureLoad(W, at(w0 + k)$LEVEL);
    let wb = textureLoad(W, at(w0 + ldK4 + k)$LEVEL);
    let wc = textureLoad(W, at(w0 + 2u * ldK4 + k)$LEVEL);
    let wd = textureLoad(W, at(w0 + 3u * ldK4 + k)$LEVEL);
    // column j of the 4x4 block: W[n4*4 .. n4*4+3, 4k + j]
    let b0 = vec4<f32>(wa.x, wb.x, wc.x, wd.x);
    let b1 = vec4<f32>(wa.y, wb.y, wc.y, wd.y);
    let b2 = vec4<f32>(wa.z, wb.z, wc.z, wd.z);
    let b3 = vec4<f32>(wa.w, wb.w, wc.w, wd.w);
    let xl$t = textureLoad(X, at(xr$t + k)$LEVEL);
    { let x = subgroupBroadcast(xl$rt, $rlu); acc$r = x.x * b0 + (x.y * b1 + (x.z * b2 + (x.w * b3 + acc$r))); }
  }
  if (col >= ldN4) { return; }
  let b = bias[n4];
  if (m0 + $r < dims.M) { Y[(m0 + $ru) * ldN4 + n4] = finish(acc$r + b); }
}
