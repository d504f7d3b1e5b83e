// Metropolis-within-Gibbs imputation (Mattei & Frellsen 2018, Algorithm 1): the terms of one
// proposal's log acceptance ratio per row, fused. For row m, with xhat the completed image
// (observed pixels + the chain's current missing values), h = [mu | logvar] its encoding,
// z the proposal (drawn from q(.|h)), zCur the chain's current state, logits the decoder output
// at z and logitsCur the decoder output at zCur (kept from when zCur was accepted):
//   terms[m] = (likRatio, wProp, wCur, 0)
//   likRatio = log p(xhat | z) - log p(xhat | zCur)   Bernoulli over EVERY pixel (the whole
//              completed image), summed as per-pixel differences so that equal logits give 0
//              exactly and the two ~D-term sums do not cancel in f32
//   wProp    = log p(z) - log q(z | h),   wCur = log p(zCur) - log q(zCur | h)   (lib/latent_weight.wgsl:
//              MODE 0 normal, 1 iid t(nu), 2 multivariate t, the shared constant left out)
// so log rho = likRatio + wProp - wCur (mwg_accept.wgsl).
// x, logits, logitsCur: (M, D) row stride ldX = ceil4(D).
// h: (M, 2L) stride ldH; z, zCur: (M, L) stride ldZ; terms: (M, 4) dense.
// One workgroup of 64 per row: the pixel sum is a tree in workgroup memory, then invocation 0
// adds the latent terms (L is small). Dispatch: (M, 1, 1).
override MODE: u32 = 0u;

struct Params { M: u32, D: u32, L: u32, ldX: u32, ldH: u32, ldZ: u32, nu: f32, _p0: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> logits: array<f32>;
@group(0) @binding(3) var<storage, read> logitsCur: array<f32>;
@group(0) @binding(4) var<storage, read> h: array<f32>;
@group(0) @binding(5) var<storage, read> z: array<f32>;
@group(0) @binding(6) var<storage, read> zCur: array<f32>;
@group(0) @binding(7) var<storage, read_write> terms: array<vec4<f32>>;

// #include "lib/logistic.wgsl"
// #include "lib/latent_weight.wgsl"
// #include "lib/workgroup_sum.wgsl"

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x;
  let base = row * params.ldX;
  var s = 0.0;
  for (var d = lid; d < params.D; d += 64u) {
    // log Bern(x | sigmoid(l)) = x l - softplus(l); the difference at l and lc
    let l = logits[base + d];
    let lc = logitsCur[base + d];
    s += x[base + d] * (l - lc) - (softplus(l) - softplus(lc));
  }
  let lik = workgroupSum(lid, s);
  if (lid != 0u) { return; }
  let w = latentWeights(row * params.ldH, row * params.ldZ);
  terms[row] = vec4<f32>(lik, w.x, w.y, 0.0);
}
