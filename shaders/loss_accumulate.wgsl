// Adds a minibatch's per-row losses to the running sums read back once per epoch:
//   sums[0] += sum_m re[m];  sums[1] += sum_m kl[m];  sums[2] += M;  sums[3] += non-finite rows
// re, kl: (M). One workgroup of 256; a fixed-order tree, so sums are reproducible.
// Dispatch: (1, 1, 1).
struct Params { M: u32, _p0: u32, _p1: u32, _p2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> re: array<f32>;
@group(0) @binding(2) var<storage, read> kl: array<f32>;
@group(0) @binding(3) var<storage, read_write> sums: array<f32, 4>;

var<workgroup> partial: array<vec3<f32>, 256>;

fn isFinite(x: f32) -> bool {
  // NaN fails x == x; +-Inf is the only value beyond max f32
  return x == x && abs(x) <= 3.4028234e38;
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = vec3<f32>(0.0);
  for (var m = lid; m < params.M; m += 256u) {
    let r = re[m];
    let k = kl[m];
    s += vec3<f32>(r, k, select(1.0, 0.0, isFinite(r) && isFinite(k)));
  }
  partial[lid] = s;
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { partial[lid] += partial[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    sums[0] += partial[0].x;
    sums[1] += partial[0].y;
    sums[2] += f32(params.M);
    sums[3] += partial[0].z;
  }
}
