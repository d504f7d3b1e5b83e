// The sum of one value per invocation of a 64-wide workgroup: a fixed-order tree in workgroup
// memory, so sums are reproducible. Call it from uniform control flow (it has barriers); every
// invocation gets the sum. Included by mwg_log_weight (`@workgroup_size(64)`); declares the
// workgroup array `partial`.
var<workgroup> partial: array<f32, 64>;

fn workgroupSum(lid: u32, s: f32) -> f32 {
  partial[lid] = s;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { partial[lid] += partial[lid + stride]; }
    workgroupBarrier();
  }
  return partial[0];
}
