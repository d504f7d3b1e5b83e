// Adds weight * sigmoid(logits) to an accumulator: the mean of K decoder outputs (Bernoulli means)
// is K of these with weight 1/K over a cleared accumulator.
// logits, acc: (M, D) row stride ld = ceil4(D); padding columns of acc are left untouched (0).
// Dispatch: (ceil(ld / 64), M, 1).
struct Params { M: u32, D: u32, ld: u32, weight: f32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read_write> acc: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let d = gid.x;
  let m = gid.y;
  if (d >= params.D || m >= params.M) { return; }
  let i = m * params.ld + d;
  let l = logits[i];
  // sigmoid without overflow for large |l|
  let e = exp(-abs(l));
  acc[i] += params.weight * select(e / (1.0 + e), 1.0 / (1.0 + e), l >= 0.0);
}
