// Metropolis-within-Gibbs imputation (Mattei & Frellsen 2018, Algorithm 1): the accept/reject
// step per row, then the Gibbs step for the missing pixels. Two entry points, in this order:
//   decide: log rho = likRatio + wProp - wCur   (terms from mwg_log_weight.wgsl)
//           accept iff force != 0 or log(u) < log rho, u ~ U(0,1) from Philox-4x32-10 of the
//           counter (row, step + stepOffset, 0xffffffff, 0x6d7767) under the key (seed0, seed1):
//           a lane the noise sampler never uses, so u is independent of the proposal's noise.
//           chain row = (log rho, accepted now 0/1, accept count, 0); on accept zCur row = z row
//           and the count goes up. A NaN log rho compares false and rejects. `force` makes the
//           first step (the chain's start) accept. Dispatch: (ceil(M / 64), 1, 1).
//   refill: per pixel of a row: if the row accepted, logitsCur = logits (every pixel: the
//           decoder output at the new state, kept so the next iteration's likelihood at zCur
//           needs no second decode). Where mask == 1: p = sigmoid(logitsCur) and
//           xhat = 1 if u < p else 0, u from Philox of (row, step + stepOffset, pixel, 0x6d7762)
//           (a tag no other kernel uses): x_miss ~ p(x_miss | z_t), a Bernoulli draw per pixel.
//           Then, when weight != 0, acc += weight * p (the Rao-Blackwellised average of the
//           Bernoulli means). Observed pixels of xhat and acc are never written, so they stay
//           bit-identical. One invocation per vec4 (4 pixels; the draws keep their per-pixel
//           counters): on lavapipe a vec4 load costs about one scalar load, 1.2-1.4x faster
//           than one invocation per pixel (the Philox draws are most of the rest).
//           Dispatch: (ceil(ldX / 4 / 64), M, 1).
// terms, chain: (M, 4) dense; z, zCur: (M, L) stride ldZ; logits, logitsCur, mask, xhat, acc:
// (M, D) stride ldX, bound as vec4 rows of ldX / 4; state: the step counter (the same one the
// proposal noise read).
struct Params {
  M: u32, L: u32, ldZ: u32, D: u32,
  ldX: u32, seed0: u32, seed1: u32, stepOffset: u32,
  force: u32, weight: f32, _p0: u32, _p1: u32,
}
struct State { step: u32, _p0: u32, _p1: u32, _p2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> state: State;
@group(0) @binding(2) var<storage, read> terms: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> z: array<f32>;
@group(0) @binding(4) var<storage, read_write> zCur: array<f32>;
@group(0) @binding(5) var<storage, read_write> chain: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read> logits: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read> mask: array<vec4<f32>>;
@group(0) @binding(8) var<storage, read_write> xhat: array<vec4<f32>>;
@group(0) @binding(9) var<storage, read_write> acc: array<vec4<f32>>;
@group(0) @binding(10) var<storage, read_write> logitsCur: array<vec4<f32>>;

// #include "lib/philox.wgsl"
// #include "lib/logistic.wgsl"

@compute @workgroup_size(64)
fn decide(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.M) { return; }
  let t = terms[m];
  var c = chain[m];
  let logRho = t.x + t.y - t.z;
  let r = philox(vec4<u32>(m, state.step + params.stepOffset, 0xffffffffu, 0x6d7767u), vec2<u32>(params.seed0, params.seed1));
  let accept = params.force != 0u || log(uniform01(r.x)) < logRho;
  c.x = logRho;
  c.y = select(0.0, 1.0, accept);
  if (accept) {
    for (var j = 0u; j < params.L; j++) { zCur[m * params.ldZ + j] = z[m * params.ldZ + j]; }
    c.z += 1.0;
  }
  chain[m] = c;
}

// pixel d (component j of vec4 i, in row m), a missing one: its Bernoulli draw and running mean
fn redraw(m: u32, i: u32, j: u32, d: u32, l: f32) {
  let p = sigmoid(l);
  let r = philox(vec4<u32>(m, state.step + params.stepOffset, d, 0x6d7762u), vec2<u32>(params.seed0, params.seed1));
  xhat[i][j] = select(0.0, 1.0, uniform01(r.x) < p);
  if (params.weight != 0.0) { acc[i][j] += params.weight * p; }
}

@compute @workgroup_size(64)
fn refill(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x; // the vec4 column: pixels d .. d + 3
  let m = gid.y;
  let ld4 = params.ldX / 4u;
  if (c >= ld4 || m >= params.M) { return; }
  let i = m * ld4 + c;
  let d = 4u * c;
  let live = vec4<u32>(d) + vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(params.D);
  var l = logitsCur[i];
  if (chain[m].y != 0.0) {
    l = select(l, logits[i], live); // padding keeps what it holds
    logitsCur[i] = l;
  }
  let miss = live & (mask[i] != vec4<f32>(0.0));
  if (miss.x) { redraw(m, i, 0u, d, l.x); }
  if (miss.y) { redraw(m, i, 1u, d + 1u, l.y); }
  if (miss.z) { redraw(m, i, 2u, d + 2u, l.z); }
  if (miss.w) { redraw(m, i, 3u, d + 3u, l.w); }
}
