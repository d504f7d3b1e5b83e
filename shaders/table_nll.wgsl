// Mixed-type table likelihood over OBSERVED cells only, fused with its gradients. The decoder's
// output row holds one block per table column: a real column's mean (1 value), a binary column's
// logit (1), a categorical column's K logits (softmax over its levels). The data row is [x | mask]
// (2D wide): x zero-filled, mask 1 where the cell is observed (repeated over a categorical's K).
//   real        r (d^2 exp(-lv) / 2 + lv / 2 + log(2 pi) / 2),   d = x - mean, lv learned per column
//   binary      r (max(l, 0) - x l + log1p(exp(-|l|)))
//   categorical r (logsumexp(l_1..K) - sum_k x_k l_k)             (x one-hot over the K levels)
// with r the cell's mask; the gradient is r times the usual one, times scale (1/B), and is written
// as exactly 0 for a missing cell (a select, so no NaN or Inf in a missing cell's output leaks).
//   dOut (M, D): real (mean - x) exp(-lv); binary sigmoid(l) - x; categorical softmax(l) - x
//   dLv (D)    : real columns sum_m r (1/2 - d^2 exp(-lv) / 2) * scale, 0 elsewhere (`logvar_grad`)
// dec (the decoder output), dOut: (M, D) row stride ldo = ceil4(D); xm: (M, 2D) row stride ldx = ceil4(2D); rowLoss (M);
// cols: one vec4<u32> per table column (kind 0 real / 1 binary / 2 categorical, offset, width, 0).
// `main`: one invocation per row (tables are narrow), dispatch (ceil(M / 64), 1, 1).
// `logvar_grad`: one invocation per table column, dispatch (ceil(C / 64), 1, 1).
// `logvar_grad_weighted` (the importance-weighted bound, iw_weights.wgsl): the same with row m's
// term times rowW[m] (M), its self-normalised importance weight.
struct Params { M: u32, D: u32, ldo: u32, ldx: u32, C: u32, scale: f32, _p0: u32, _p1: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> dec: array<f32>;
@group(0) @binding(2) var<storage, read> xm: array<f32>;
@group(0) @binding(3) var<storage, read_write> dOut: array<f32>;
@group(0) @binding(4) var<storage, read_write> rowLoss: array<f32>;
@group(0) @binding(5) var<storage, read> lv: array<f32>;
@group(0) @binding(6) var<storage, read> cols: array<vec4<u32>>;

// #include "lib/logistic.wgsl"

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.M) { return; }
  let o = m * params.ldo;
  let xb = m * params.ldx;
  var s = 0.0;
  for (var c = 0u; c < params.C; c++) {
    let info = cols[c];
    let kind = info.x;
    let at = info.y;
    let K = info.z;
    let seen = xm[xb + params.D + at] > 0.5;
    if (kind == 0u) {
      let l = lv[at];
      let inv = exp(-l);
      let d = xm[xb + at] - dec[o + at];
      s += select(0.0, 0.5 * d * d * inv + 0.5 * l + 0.9189385332046727, seen);
      dOut[o + at] = select(0.0, -d * inv * params.scale, seen);
    } else if (kind == 1u) {
      let l = dec[o + at];
      let t = xm[xb + at];
      s += select(0.0, max(l, 0.0) - t * l + log(1.0 + exp(-abs(l))), seen);
      dOut[o + at] = select(0.0, (sigmoid(l) - t) * params.scale, seen);
    } else {
      var top = dec[o + at];
      for (var k = 1u; k < K; k++) { top = max(top, dec[o + at + k]); }
      var z = 0.0;
      var picked = 0.0;
      for (var k = 0u; k < K; k++) {
        z += exp(dec[o + at + k] - top);
        picked += xm[xb + at + k] * dec[o + at + k];
      }
      s += select(0.0, top + log(z) - picked, seen);
      for (var k = 0u; k < K; k++) {
        let p = exp(dec[o + at + k] - top) / z;
        dOut[o + at + k] = select(0.0, (p - xm[xb + at + k]) * params.scale, seen);
      }
    }
  }
  rowLoss[m] = s;
}

@group(0) @binding(7) var<storage, read_write> dLv: array<f32>;

// Column c's position in lv when c is a real column, else -1 (also past the last column); a
// binary or categorical column's dLv entries are written 0 here.
fn realColumnAt(c: u32) -> i32 {
  if (c >= params.C) { return -1; }
  let info = cols[c];
  if (info.x == 0u) { return i32(info.y); }
  for (var k = 0u; k < info.z; k++) { dLv[info.y + k] = 0.0; }
  return -1;
}

// row m's d loss / d lv at a real column's position `at` (0 for a missing cell)
fn lvTerm(m: u32, at: u32) -> f32 {
  let seen = xm[m * params.ldx + params.D + at] > 0.5;
  let d = xm[m * params.ldx + at] - dec[m * params.ldo + at];
  return select(0.0, 0.5 - 0.5 * d * d * exp(-lv[at]), seen);
}

@compute @workgroup_size(64)
fn logvar_grad(@builtin(global_invocation_id) gid: vec3<u32>) {
  let at = realColumnAt(gid.x);
  if (at < 0) { return; }
  var s = 0.0;
  for (var m = 0u; m < params.M; m++) { s += lvTerm(m, u32(at)); }
  dLv[at] = s * params.scale;
}

@group(0) @binding(8) var<storage, read> rowW: array<f32>;

// logvar_grad of the importance-weighted bound (iw_weights.wgsl): row m's term weighs rowW[m].
@compute @workgroup_size(64)
fn logvar_grad_weighted(@builtin(global_invocation_id) gid: vec3<u32>) {
  let at = realColumnAt(gid.x);
  if (at < 0) { return; }
  var s = 0.0;
  for (var m = 0u; m < params.M; m++) { s += lvTerm(m, u32(at)) * rowW[m]; }
  dLv[at] = s * params.scale;
}
