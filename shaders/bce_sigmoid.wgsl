// Bernoulli decoder loss, stable from logits, fused with its gradient:
//   rowLoss[m] = sum_d max(l,0) - x*l + log1p(exp(-|l|))      (BCE of sigmoid(l) against x)
//   dL[m, d]   = (sigmoid(l) - x) * scale                      (scale = 1/B for a batch-mean loss)
// logits, x, dL: (M, D) row stride ld = ceil4(D); padding columns are skipped and dL's stay 0.
// rowLoss: (M). One workgroup of 64 per row; the row sum is a tree in workgroup memory.
// Dispatch: (M, 1, 1).
struct Params { M: u32, D: u32, ld: u32, scale: f32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> dL: array<f32>;
@group(0) @binding(4) var<storage, read_write> rowLoss: array<f32>;

// #include "lib/logistic.wgsl"
// #include "lib/workgroup_sum.wgsl"

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x;
  let base = row * params.ld;
  var s = 0.0;
  for (var d = lid; d < params.D; d += 64u) {
    let l = logits[base + d];
    let t = x[base + d];
    s += max(l, 0.0) - t * l + log(1.0 + exp(-abs(l)));
    dL[base + d] = (sigmoid(l) - t) * params.scale;
  }
  let total = workgroupSum(lid, s);
  if (lid == 0u) { rowLoss[row] = total; }
}
