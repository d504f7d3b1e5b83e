// Metropolis-within-Gibbs imputation of a table (Mattei & Frellsen 2018, Algorithm 1) under the
// mixed table likelihood of table_nll.wgsl, over EVERY cell of the completed row xhat (observed
// cells and the chain's current values of the missing ones). Two entry points; per step the chain
// runs log_weight, then mwg_accept.wgsl's `decide` (unchanged: it reads only the terms), then refill.
//   log_weight: terms[m] = (likRatio, wProp, wCur, 0), log rho = likRatio + wProp - wCur, with
//     likRatio = log p(xhat | z) - log p(xhat | zCur), summed per cell as differences so that
//     equal decoder outputs give exactly 0:
//       real        0.5 exp(-lv) (mu - muCur) (2 x - mu - muCur)        (the log(2 pi) and lv terms cancel)
//       binary      x (l - lCur) - (softplus(l) - softplus(lCur))
//       categorical sum_k x_k (l_k - lCur_k) - (logsumexp(l) - logsumexp(lCur))
//     and wProp, wCur the latent terms of lib/latent_weight.wgsl (MODE 0 normal, 1 iid t, 2
//     multivariate t; the shared normalising constant left out), shared with mwg_log_weight.wgsl.
//   refill: if the row accepted, logitsCur = logits (the decoder output at the new state). Every
//     cell of the row is then marked observed in the mask half of xm (the encoder reads the
//     completed row). Each MISSING cell (miss = 1) is drawn from p(x | zCur) with the Philox
//     counter (row, step + stepOffset, column, 0x6d7774) under the seed key:
//       real        mu + exp(lv / 2) n, n = sqrt(-2 log u0) cos(2 pi (u1 - 1/2))   (Box-Muller)
//       binary      1 if u0 < sigmoid(l) else 0
//       categorical one-hot at the first level k with u0 < p_1 + ... + p_k (the last if none)
//     and, when weight != 0, acc += weight * (the real mean, the binary probability, each level's
//     probability): the Rao-Blackwellised average. Observed cells of xm and acc are never written.
// xm: (M, 2D) = [xhat | mask], row stride ldX; logits, logitsCur, miss, acc: (M, D) stride ldO
// (miss 1 where the data's cell is missing, over each column's positions); h: (M, 2L) stride ldH;
// z, zCur: (M, L) stride ldZ; terms, chain: (M, 4) dense; lv: (D) learned log-variances (read at
// real columns); cols: one vec4<u32> per column (kind 0 real / 1 binary / 2 categorical, offset,
// width, 0) as in table_nll.wgsl. Tables are narrow: one invocation per row for both entry points,
// dispatch (ceil(M / 64), 1, 1).
override MODE: u32 = 0u;

struct Params {
  M: u32, D: u32, L: u32, C: u32,
  ldX: u32, ldO: u32, ldH: u32, ldZ: u32,
  seed0: u32, seed1: u32, stepOffset: u32, weight: f32,
  nu: f32, _p0: u32, _p1: u32, _p2: u32,
}
struct State { step: u32, _p0: u32, _p1: u32, _p2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> state: State;
@group(0) @binding(2) var<storage, read_write> xm: array<f32>;
@group(0) @binding(3) var<storage, read> logits: array<f32>;
@group(0) @binding(4) var<storage, read_write> logitsCur: array<f32>;
@group(0) @binding(5) var<storage, read> h: array<f32>;
@group(0) @binding(6) var<storage, read> z: array<f32>;
@group(0) @binding(7) var<storage, read> zCur: array<f32>;
@group(0) @binding(8) var<storage, read_write> terms: array<vec4<f32>>;
@group(0) @binding(9) var<storage, read> lv: array<f32>;
@group(0) @binding(10) var<storage, read> cols: array<vec4<u32>>;
@group(0) @binding(11) var<storage, read> chain: array<vec4<f32>>;
@group(0) @binding(12) var<storage, read> miss: array<f32>;
@group(0) @binding(13) var<storage, read_write> acc: array<f32>;

// #include "lib/logistic.wgsl"
// #include "lib/latent_weight.wgsl"
// #include "lib/philox.wgsl"

// logsumexp of a categorical block of the decoder output held in logits (cur = false) or logitsCur
fn lse(o: u32, K: u32, cur: bool) -> f32 {
  var top = -3.0e38;
  for (var k = 0u; k < K; k++) { top = max(top, select(logits[o + k], logitsCur[o + k], cur)); }
  var s = 0.0;
  for (var k = 0u; k < K; k++) { s += exp(select(logits[o + k], logitsCur[o + k], cur) - top); }
  return top + log(s);
}

@compute @workgroup_size(64)
fn log_weight(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.M) { return; }
  let o = m * params.ldO;
  let xb = m * params.ldX;
  var lik = 0.0;
  for (var c = 0u; c < params.C; c++) {
    let info = cols[c];
    let at = info.y;
    if (info.x == 0u) {
      let mu = logits[o + at];
      let mc = logitsCur[o + at];
      lik += 0.5 * exp(-lv[at]) * (mu - mc) * (2.0 * xm[xb + at] - mu - mc);
    } else if (info.x == 1u) {
      let l = logits[o + at];
      let lc = logitsCur[o + at];
      lik += xm[xb + at] * (l - lc) - (softplus(l) - softplus(lc));
    } else {
      var picked = 0.0;
      for (var k = 0u; k < info.z; k++) { picked += xm[xb + at + k] * (logits[o + at + k] - logitsCur[o + at + k]); }
      lik += picked - (lse(o + at, info.z, false) - lse(o + at, info.z, true));
    }
  }
  let w = latentWeights(m * params.ldH, m * params.ldZ);
  terms[m] = vec4<f32>(lik, w.x, w.y, 0.0);
}

@compute @workgroup_size(64)
fn refill(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.M) { return; }
  let o = m * params.ldO;
  let xb = m * params.ldX;
  let D = params.D;
  if (chain[m].y != 0.0) {
    for (var d = 0u; d < D; d++) { logitsCur[o + d] = logits[o + d]; }
  }
  for (var d = 0u; d < D; d++) { xm[xb + D + d] = 1.0; }
  for (var c = 0u; c < params.C; c++) {
    let info = cols[c];
    let at = info.y;
    if (miss[o + at] == 0.0) { continue; }
    let r = philox(vec4<u32>(m, state.step + params.stepOffset, c, 0x6d7774u), vec2<u32>(params.seed0, params.seed1));
    let u = uniform01(r.x);
    if (info.x == 0u) {
      let mu = logitsCur[o + at];
      let n = normal1(r.x, r.y);
      xm[xb + at] = mu + exp(0.5 * lv[at]) * n;
      if (params.weight != 0.0) { acc[o + at] += params.weight * mu; }
    } else if (info.x == 1u) {
      let l = logitsCur[o + at];
      let p = sigmoid(l);
      xm[xb + at] = select(0.0, 1.0, u < p);
      if (params.weight != 0.0) { acc[o + at] += params.weight * p; }
    } else {
      let K = info.z;
      let top = lse(o + at, K, true);
      var cum = 0.0;
      var pick = K - 1u;
      var found = false;
      for (var k = 0u; k < K; k++) {
        let p = exp(logitsCur[o + at + k] - top);
        cum += p;
        if (!found && u < cum) {
          pick = k;
          found = true;
        }
        if (params.weight != 0.0) { acc[o + at + k] += params.weight * p; }
      }
      for (var k = 0u; k < K; k++) { xm[xb + at + k] = select(0.0, 1.0, k == pick); }
    }
  }
}
