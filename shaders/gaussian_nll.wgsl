// Gaussian decoder likelihood, fused with its gradients: -log N(x | mean, diag(exp(logvar))) per row,
// the decoder output being the mean. logvar is per output dimension: either one fixed value for all
// (LEARNED = 0, params.logvar) or a learned vector lv (D), updated by the optimizer with the weights.
//   rowLoss[m] = sum_d (x - mean)^2 / (2 exp(lv_d)) + lv_d / 2 + log(2 pi) / 2
//   dMean[m, d] = (mean - x) exp(-lv_d) * scale                 (scale = 1/B for a batch-mean loss)
//   dLv[d]     = scale * sum_m (1/2 - (x - mean)^2 exp(-lv_d) / 2)      (entry point `logvar_grad`)
// mean, x, dMean: (M, D) row stride ld = ceil4(D); padding columns are skipped and dMean's stay 0.
// rowLoss: (M). `main`: one workgroup of 64 per row, the row sum a tree in workgroup memory,
// dispatch (M, 1, 1). `logvar_grad`: one invocation per dimension, dispatch (ceil(D / 64), 1, 1).
override LEARNED: u32 = 0u;

struct Params { M: u32, D: u32, ld: u32, scale: f32, logvar: f32, _p0: u32, _p1: u32, _p2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> mean: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> dMean: array<f32>;
@group(0) @binding(4) var<storage, read_write> rowLoss: array<f32>;
@group(0) @binding(5) var<storage, read> lv: array<f32>;

// #include "lib/workgroup_sum.wgsl"

fn logvarAt(d: u32) -> f32 {
  if (LEARNED == 1u) { return lv[d]; }
  return params.logvar;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x;
  let base = row * params.ld;
  var s = 0.0;
  for (var d = lid; d < params.D; d += 64u) {
    let l = logvarAt(d);
    let r = x[base + d] - mean[base + d];
    let inv = exp(-l);
    s += 0.5 * r * r * inv + 0.5 * l + 0.9189385332046727;
    dMean[base + d] = -r * inv * params.scale;
  }
  let total = workgroupSum(lid, s);
  if (lid == 0u) { rowLoss[row] = total; }
}

@group(0) @binding(6) var<storage, read_write> dLv: array<f32>;

@compute @workgroup_size(64)
fn logvar_grad(@builtin(global_invocation_id) gid: vec3<u32>) {
  let d = gid.x;
  if (d >= params.D) { return; }
  let inv = exp(-lv[d]);
  var s = 0.0;
  for (var m = 0u; m < params.M; m++) {
    let r = x[m * params.ld + d] - mean[m * params.ld + d];
    s += 0.5 - 0.5 * r * r * inv;
  }
  dLv[d] = s * params.scale;
}
