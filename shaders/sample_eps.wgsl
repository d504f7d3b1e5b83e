// Counter-based draws of the reparameterization noise eps (M, L) dense, one row per invocation.
//   MODE 0: eps ~ N(0, 1)
//   MODE 1: eps_j ~ t(nu) iid:          eps_j = N_j / sqrt(G_j / (nu/2)),  G_j ~ Gamma(nu/2, 1)
//   MODE 2: eps ~ multivariate t(nu):   eps_j = N_j / sqrt(G / (nu/2)),    one G per row
// Every random number is Philox-4x32-10 of the counter (row, step, lane, tag) under the key
// (seed0, seed1): draws depend only on the seed, the step and their position, never on dispatch
// order. step comes from the training state so each minibatch gets fresh noise with no CPU write.
// Gamma by Marsaglia-Tsang; alpha < 1 by the boost G(alpha) = G(alpha+1) U^(1/alpha), in logs so
// that tiny nu does not underflow G to 0.
// Dispatch: (ceil(M / 64), 1, 1).   `bits` writes raw Philox outputs for testing (4 u32 per row).
override MODE: u32 = 0u;

struct Params { M: u32, L: u32, seed0: u32, seed1: u32, nu: f32, stepOffset: u32, _p0: u32, _p1: u32 }
struct State { step: u32, _p0: u32, _p1: u32, _p2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> state: State;
@group(0) @binding(2) var<storage, read_write> eps: array<f32>;

// #include "lib/philox.wgsl"

fn rand(row: u32, lane: u32, tag: u32) -> vec4<u32> {
  return philox(vec4<u32>(row, state.step + params.stepOffset, lane, tag), vec2<u32>(params.seed0, params.seed1));
}

// two Box-Muller pairs from one Philox block
fn normals4(r: vec4<u32>) -> vec4<f32> {
  let r0 = sqrt(-2.0 * log(uniform01(r.x)));
  let r1 = sqrt(-2.0 * log(uniform01(r.z)));
  let t0 = angle(r.y);
  let t1 = angle(r.w);
  return vec4<f32>(r0 * cos(t0), r0 * sin(t0), r1 * cos(t1), r1 * sin(t1));
}

// log of a Gamma(alpha, 1) draw; attempts use tags 1, 2, ... of this (row, lane)
fn logGamma(alpha: f32, row: u32, lane: u32) -> f32 {
  let a = select(alpha, alpha + 1.0, alpha < 1.0);
  let d = a - 1.0 / 3.0;
  let c = 1.0 / sqrt(9.0 * d);
  var logG = log(d);  // only used if every attempt is rejected (probability < 1e-40)
  var boost = 0.0;
  for (var attempt = 1u; attempt <= 64u; attempt++) {
    let r = rand(row, lane, attempt);
    let n = normal1(r.x, r.y);
    let v1 = 1.0 + c * n;
    if (v1 <= 0.0) { continue; }
    let v = v1 * v1 * v1;
    let u = uniform01(r.z);
    if (log(u) < 0.5 * n * n + d - d * v + d * log(v)) {
      logG = log(d * v);
      boost = log(uniform01(r.w)) / alpha;
      break;
    }
  }
  if (alpha < 1.0) { return logG + boost; }
  return logG;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row = gid.x;
  if (row >= params.M) { return; }
  let L = params.L;
  let halfNu = 0.5 * params.nu;
  var shared_scale = 1.0;
  if (MODE == 2u) { shared_scale = exp(-0.5 * (logGamma(halfNu, row, 0u) - log(halfNu))); }
  for (var j4 = 0u; j4 * 4u < L; j4++) {
    let n = normals4(rand(row, j4, 0u));
    for (var i = 0u; i < 4u; i++) {
      let j = j4 * 4u + i;
      if (j >= L) { break; }
      var e = n[i];
      if (MODE == 1u) { e *= exp(-0.5 * (logGamma(halfNu, row, j + 1u) - log(halfNu))); }
      if (MODE == 2u) { e *= shared_scale; }
      eps[row * L + j] = e;
    }
  }
}

@group(0) @binding(3) var<storage, read_write> bits: array<vec4<u32>>;

@compute @workgroup_size(64)
fn raw_bits(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row = gid.x;
  if (row >= params.M) { return; }
  bits[row] = rand(row, params.L, 0u);
}
