// Copies a matrix buffer into an rgba32float texture for the texture-reading GEMM variants
// (gemm_*.subgroup.wgsl): texel i = src[4i .. 4i+3] lands at (i % 256, i / 256), so any matrix of
// up to 256 x maxTextureDimension2D texels fits whatever its row stride.
// src: the matrix's binding (allocRows * ld floats)   dst: (256, ceil(texels / 256)) rgba32float
// Four consecutive texels per invocation (the last invocation takes what is left).
// Dispatch: (ceil(texels / 256), 1, 1) workgroups of 64. A copy in the compute pass rather than
// copyBufferToTexture: that needs rows of 256 bytes and a pass break; this runs inside the pass.
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba32float, write>;

fn copy(i: u32) {
  textureStore(dst, vec2<u32>(i & 255u, i >> 8u), src[i]);
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i0 = 4u * gid.x;
  let n = arrayLength(&src);
  if (i0 + 3u < n) {
    copy(i0);
    copy(i0 + 1u);
    copy(i0 + 2u);
    copy(i0 + 3u);
  } else {
    for (var i = i0; i < n; i++) { copy(i); }
  }
}
