// Metropolis-within-Gibbs imputation (Mattei & Frellsen 2018, Algorithm 1): the terms of one
// proposal's log acceptance ratio per row, fused. For row m, with xhat the completed image
// (observed pixels + the chain's current missing values), h = [mu | logvar] its encoding,
// z the proposal (drawn from q(.|h)), zCur the chain's current state, logits the decoder output
// at z and logitsCur the decoder output at zCur (kept from when zCur was accepted):
//   terms[m] = (likRatio, wProp, wCur, 0)
//   likRatio = log p(xhat | z) - log p(xhat | zCur)   Bernoulli over EVERY pixel (the whole
//              completed image), summed as per-pixel differences so that equal logits give 0
//              exactly and the two ~D-term sums do not cancel in f32
//   wProp    = log p(z) - log q(z | h),   wCur = log p(zCur) - log q(zCur | h)
// so log rho = likRatio + wProp - wCur (mwg_accept.wgsl). Prior and posterior are one family
// with one nu and one L, so they share their normalising constant; every density here leaves it
// out (it cancels in wProp and wCur), which keeps lgamma out of WGSL.
// With s = (z - mu) / sigma, sigma = exp(logvar / 2):
//   MODE 0 (normal):          log p(z) = -1/2 sum z^2;                     log q = sum(-logvar/2 - s^2/2)
//   MODE 1 (iid t(nu)):       log p(z) = -(nu+1)/2 sum log1p(z^2/nu);      log q = sum(-logvar/2 - (nu+1)/2 log1p(s^2/nu))
//   MODE 2 (multivariate t):  log p(z) = -(nu+L)/2 log1p(sum z^2 / nu);    log q = -sum logvar/2 - (nu+L)/2 log1p(sum s^2 / nu)
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

var<workgroup> partial: array<f32, 64>;

// log(1 + u) for u >= 0, accurate relative to its value (as in reparam_kl_t.wgsl): with nu large
// the t terms are (nu+1)/2 times tiny logs, where WGSL's log() near 1 is only absolutely accurate.
fn log1p(u: f32) -> f32 {
  if (u >= 0.5) { return log(1.0 + u); }
  let s = u / (2.0 + u);
  let s2 = s * s;
  return 2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0 + s2 / 13.0))))));
}

// softplus(l) = log(1 + exp(l)) without overflow
fn softplus(l: f32) -> f32 { return max(l, 0.0) + log1p(exp(-abs(l))); }

// per-coordinate summand: u^2 for the normal and the multivariate t (finished by `finish`),
// log1p(u^2/nu) for the iid t
fn coord(u: f32) -> f32 {
  if (MODE == 1u) { return log1p(u * u / params.nu); }
  return u * u;
}

fn finish(sum: f32) -> f32 {
  let nu = params.nu;
  if (MODE == 0u) { return -0.5 * sum; }
  if (MODE == 1u) { return -0.5 * (nu + 1.0) * sum; }
  return -0.5 * (nu + f32(params.L)) * log1p(sum / nu);
}

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
  partial[lid] = s;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { partial[lid] += partial[lid + stride]; }
    workgroupBarrier();
  }
  if (lid != 0u) { return; }
  let L = params.L;
  var prior = 0.0;
  var priorCur = 0.0;
  var q = 0.0;
  var qCur = 0.0;
  var logvarSum = 0.0;
  for (var j = 0u; j < L; j++) {
    let mu = h[row * params.ldH + j];
    let logvar = h[row * params.ldH + L + j];
    let inv = exp(-0.5 * logvar);
    let zj = z[row * params.ldZ + j];
    let zc = zCur[row * params.ldZ + j];
    prior += coord(zj);
    priorCur += coord(zc);
    q += coord((zj - mu) * inv);
    qCur += coord((zc - mu) * inv);
    logvarSum += logvar;
  }
  let wProp = finish(prior) - (finish(q) - 0.5 * logvarSum);
  let wCur = finish(priorCur) - (finish(qCur) - 0.5 * logvarSum);
  terms[row] = vec4<f32>(partial[0], wProp, wCur, 0.0);
}
