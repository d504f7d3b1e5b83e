// Bernoulli decoder loss, stable from logits, fused with its gradient:
//   rowLoss[m] = sum_d max(l,0) - x*l + log1p(exp(-|l|))      (BCE of sigmoid(l) against x)
//   dL[m, d]   = (sigmoid(l) - x) * scale                      (scale = 1/B for a batch-mean loss)
// logits, x, dL: (M, D) row stride ld = ceil4(D), bound as vec4 rows of ld / 4; padding columns
// are skipped and dL's stay 0.
// rowLoss: (M). One invocation per row, a serial sum over its vec4s (four running sums, added
// at the end: a fixed order, so sums are reproducible). On lavapipe a 64-wide workgroup per row
// with a barrier tree cost ~2x this: every storage load is split per SIMD lane, so a vec4 load
// is about as cheap as a scalar one, and each barrier is a coroutine switch.
// Dispatch: (ceil(M / 64), 1, 1).
struct Params { M: u32, D: u32, ld: u32, scale: f32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> logits: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dL: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> rowLoss: array<f32>;

// #include "lib/logistic.wgsl"
// #include "lib/live_columns.wgsl"

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row = gid.x;
  if (row >= params.M) { return; }
  let ld4 = params.ld / 4u;
  let base = row * ld4;
  var s = vec4<f32>(0.0);
  for (var c = 0u; c < ld4; c++) {
    let l = logits[base + c];
    let t = x[base + c];
    let live = liveColumns(c, params.D);
    s += select(vec4<f32>(0.0), max(l, vec4<f32>(0.0)) - t * l + log(1.0 + exp(-abs(l))), live);
    let p = vec4<f32>(sigmoid(l.x), sigmoid(l.y), sigmoid(l.z), sigmoid(l.w));
    dL[base + c] = select(vec4<f32>(0.0), (p - t) * params.scale, live);
  }
  rowLoss[row] = (s.x + s.y) + (s.z + s.w);
}
