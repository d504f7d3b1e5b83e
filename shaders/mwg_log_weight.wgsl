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
// x, logits, logitsCur bound as vec4 rows of ldX / 4; padding columns skipped.
// One invocation per row: the pixel sum over its vec4s serially (four running sums added at the
// end, a fixed order), then the latent terms (L is small); on lavapipe ~3x cheaper than a
// workgroup per row with a barrier tree (as bce_sigmoid.wgsl). Dispatch: (ceil(M / 64), 1, 1).
override MODE: u32 = 0u;

struct Params { M: u32, D: u32, L: u32, ldX: u32, ldH: u32, ldZ: u32, nu: f32, _p0: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> logits: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> logitsCur: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> h: array<f32>;
@group(0) @binding(5) var<storage, read> z: array<f32>;
@group(0) @binding(6) var<storage, read> zCur: array<f32>;
@group(0) @binding(7) var<storage, read_write> terms: array<vec4<f32>>;

// #include "lib/logistic.wgsl"
// #include "lib/latent_weight.wgsl"
// #include "lib/live_columns.wgsl"

fn softplus4(l: vec4<f32>) -> vec4<f32> {
  return vec4<f32>(softplus(l.x), softplus(l.y), softplus(l.z), softplus(l.w));
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row = gid.x;
  if (row >= params.M) { return; }
  let ld4 = params.ldX / 4u;
  let base = row * ld4;
  var s = vec4<f32>(0.0);
  for (var c = 0u; c < ld4; c++) {
    // log Bern(x | sigmoid(l)) = x l - softplus(l); the difference at l and lc
    let l = logits[base + c];
    let lc = logitsCur[base + c];
    let live = liveColumns(c, params.D);
    s += select(vec4<f32>(0.0), x[base + c] * (l - lc) - (softplus4(l) - softplus4(lc)), live);
  }
  let w = latentWeights(row * params.ldH, row * params.ldZ);
  terms[row] = vec4<f32>((s.x + s.y) + (s.z + s.w), w.x, w.y, 0.0);
}
