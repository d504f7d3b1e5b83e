// Full-covariance Gaussian posterior q = N(mu, S S^T) against the prior N(0, I): sampling + KL,
// forward and backward (one row per invocation). S is lower triangular with diagonal
// sigma = exp(logvar/2) and strictly lower part Lp (the encoder's raw outputs: S = mask * Lp + diag sigma).
//   h, dh: (M, H) row stride ldH = ceil4(H), H = 2L + L(L-1)/2, laid out [mu | logvar | Lp], with Lp's
//          entry (i, j), i > j, at column 2L + i(i-1)/2 + j     eps: (M, L) dense, eps ~ N(0, I)
//   z, dz: (M, L) row stride ldZ = ceil4(L)                       kl: (M)
//   forward:  z_i = mu_i + sigma_i eps_i + sum_{j<i} Lp_ij eps_j
//     MC = 0: kl = (sum_i sigma_i^2 + sum_{i>j} Lp_ij^2 + |mu|^2 - L - sum_i logvar_i) / 2   (closed form)
//     MC = 1: kl = log q(z) - log p(z) = -|eps|^2/2 - sum_i logvar_i/2 + |z|^2/2       (one-sample;
//             log|det dz/deps| = sum_i log sigma_i, the 2 pi constants cancel)
//   backward: the gradient reaching z is g = dz (MC = 0) or dz + scale z (MC = 1); then
//             dmu_i = g_i + scale mu_i [MC 0];  dLp_ij = g_i eps_j + scale Lp_ij [MC 0]
//             dlogvar_i = sigma_i/2 (g_i eps_i + scale sigma_i [MC 0]) - scale/2
//             (written so that an underflowed sigma gives 0 * finite, never 0 * inf)
// Dispatch: (ceil(M / 64), 1, 1).
override MC: u32 = 0u;

// #include "lib/reparam_io.wgsl"

fn lp(m: u32, i: u32, j: u32) -> f32 { return h[m * params.ldH + 2u * params.L + i * (i - 1u) / 2u + j]; }

// z_i of row m
fn zAt(m: u32, i: u32) -> f32 {
  let L = params.L;
  var zi = h[m * params.ldH + i] + exp(0.5 * h[m * params.ldH + L + i]) * eps[m * L + i];
  for (var j = 0u; j < i; j++) { zi += lp(m, i, j) * eps[m * L + j]; }
  return zi;
}

@compute @workgroup_size(64)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.M) { return; }
  let L = params.L;
  var s = 0.0;
  for (var i = 0u; i < L; i++) {
    let mu = h[m * params.ldH + i];
    let logvar = h[m * params.ldH + L + i];
    let e = eps[m * L + i];
    let zi = zAt(m, i);
    z[m * params.ldZ + i] = zi;
    if (MC == 1u) {
      s += 0.5 * (zi * zi - e * e - logvar);
    } else {
      var off = 0.0;
      for (var j = 0u; j < i; j++) { let v = lp(m, i, j); off += v * v; }
      s += 0.5 * (exp(logvar) + off + mu * mu - 1.0 - logvar);
    }
  }
  for (var j = L; j < params.ldZ; j++) { z[m * params.ldZ + j] = 0.0; }
  kl[m] = s;
}

@compute @workgroup_size(64)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.M) { return; }
  let L = params.L;
  let k = params.scale;
  for (var i = 0u; i < L; i++) {
    let mu = h[m * params.ldH + i];
    let sigma = exp(0.5 * h[m * params.ldH + L + i]);
    let e = eps[m * L + i];
    var g = dz[m * params.ldZ + i];
    var klMu = k * mu;
    var klSigma = k * sigma;
    if (MC == 1u) { g += k * zAt(m, i); klMu = 0.0; klSigma = 0.0; }
    dh[m * params.ldH + i] = g + klMu;
    dh[m * params.ldH + L + i] = 0.5 * sigma * (g * e + klSigma) - 0.5 * k;
    for (var j = 0u; j < i; j++) {
      var klL = k * lp(m, i, j);
      if (MC == 1u) { klL = 0.0; }
      dh[m * params.ldH + 2u * L + i * (i - 1u) / 2u + j] = g * eps[m * L + j] + klL;
    }
  }
  let H = 2u * L + L * (L - 1u) / 2u;
  for (var c = H; c < params.ldH; c++) { dh[m * params.ldH + c] = 0.0; }
}
