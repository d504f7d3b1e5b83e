// Gaussian decoder likelihood, fused with its gradients: -log N(x | mean, diag(exp(logvar))) per row,
// the decoder output being the mean. logvar is per output dimension: either one fixed value for all
// (LEARNED = 0, params.logvar) or a learned vector lv (D), updated by the optimizer with the weights.
//   rowLoss[m] = sum_d (x - mean)^2 / (2 exp(lv_d)) + lv_d / 2 + log(2 pi) / 2
//   dMean[m, d] = (mean - x) exp(-lv_d) * scale                 (scale = 1/B for a batch-mean loss)
// mean, x, dMean: (M, D) row stride ld = ceil4(D), bound as vec4 rows of ld / 4; padding columns are
// skipped and dMean's stay 0. lv, dLv: (D) padded to ld, as vec4s; dLv's padding written 0.
//   dLv[d]     = scale * sum_m (1/2 - (x - mean)^2 exp(-lv_d) / 2)      (entry point `logvar_grad`)
// rowLoss: (M). `main`: one invocation per row summing its vec4s serially (four running sums
// added at the end: a fixed order, so sums are reproducible), dispatch (ceil(M / 64), 1, 1); as
// bce_sigmoid.wgsl, ~3x cheaper on lavapipe than a workgroup per row with a barrier tree.
// `logvar_grad`: one invocation per 4 dimensions summing over the rows, dispatch (ceil(ld / 4 / 64), 1, 1).
override LEARNED: u32 = 0u;

struct Params { M: u32, D: u32, ld: u32, scale: f32, logvar: f32, _p0: u32, _p1: u32, _p2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> mean: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dMean: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> rowLoss: array<f32>;
@group(0) @binding(5) var<storage, read> lv: array<vec4<f32>>;

fn logvarAt(c: u32) -> vec4<f32> {
  if (LEARNED == 1u) { return lv[c]; }
  return vec4<f32>(params.logvar);
}

// #include "lib/live_columns.wgsl"

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row = gid.x;
  if (row >= params.M) { return; }
  let ld4 = params.ld / 4u;
  let base = row * ld4;
  var s = vec4<f32>(0.0);
  for (var c = 0u; c < ld4; c++) {
    let l = logvarAt(c);
    let r = x[base + c] - mean[base + c];
    let inv = exp(-l);
    let live = liveColumns(c, params.D);
    s += select(vec4<f32>(0.0), 0.5 * r * r * inv + 0.5 * l + 0.9189385332046727, live);
    dMean[base + c] = select(vec4<f32>(0.0), -r * inv * params.scale, live);
  }
  rowLoss[row] = (s.x + s.y) + (s.z + s.w);
}

@group(0) @binding(6) var<storage, read_write> dLv: array<vec4<f32>>;

@compute @workgroup_size(64)
fn logvar_grad(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  let ld4 = params.ld / 4u;
  if (c >= ld4) { return; }
  let inv = exp(-lv[c]);
  var s = vec4<f32>(0.0);
  for (var m = 0u; m < params.M; m++) {
    let r = x[m * ld4 + c] - mean[m * ld4 + c];
    s += 0.5 - 0.5 * r * r * inv;
  }
  dLv[c] = select(vec4<f32>(0.0), s * params.scale, liveColumns(c, params.D));
}
