// The backward entry points of a diagonal-layout sampling + KL kernel (reparam_kl_gauss,
// reparam_kl_t), around the including shader's `fn backwardRow(m: u32, k: f32)`, which writes row
// m's dh with the KL's part scaled by k. Included after lib/reparam_io.wgsl (params).
//   backward:          k = params.scale
//   backward_weighted: k = params.scale * rowW[m], the importance-weighted bound (iw_weights.wgsl):
//                      row m's KL term weighs rowW[m] (M), its self-normalised importance weight;
//                      dz arrives already weighted through the decoder.
// Dispatch: (ceil(M / 64), 1, 1).
@compute @workgroup_size(64)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.M) { return; }
  backwardRow(m, params.scale);
}

@group(0) @binding(7) var<storage, read> rowW: array<f32>;

@compute @workgroup_size(64)
fn backward_weighted(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.M) { return; }
  backwardRow(m, params.scale * rowW[m]);
}
