// Gaussian VAE sampling + KL, forward and backward (one row per invocation).
//   forward:  z = mu + exp(logvar/2) * eps;  kl[m] = -1/2 sum_j (1 + logvar - mu^2 - exp(logvar))
//   backward: dmu = dz + scale * mu;  dlogvar = dz * eps * sigma / 2 + scale * (exp(logvar) - 1) / 2
// MC = 1 replaces the closed form by the one-sample estimate log q(z) - log p(z)
//   = sum_j (z^2 - eps^2 - logvar) / 2 (for importance-weighted bounds, which need log q - log p
//   per draw); its backward: g = dz + scale * z, dmu = g, dlogvar = sigma/2 * g * eps - scale/2.
// h, dh: (M, 2L) row stride ldH = ceil4(2L), [mu | logvar]    eps: (M, L) dense
// z, dz: (M, L) row stride ldZ = ceil4(L)                        kl: (M)
// Padding columns of z and dh are written 0. scale = 1/B (the loss is a batch mean).
// backward_weighted (the importance-weighted bound, iw_weights.wgsl; MC = 1 only): scale * rowW[m]
// for row m's KL part instead of scale; rowW: (M) the rows' self-normalised weights.
// Dispatch: (ceil(M / 64), 1, 1).
override MC: u32 = 0u;

// #include "lib/reparam_io.wgsl"

@compute @workgroup_size(64)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.M) { return; }
  let L = params.L;
  var s = 0.0;
  for (var j = 0u; j < L; j++) {
    let mu = h[m * params.ldH + j];
    let logvar = h[m * params.ldH + L + j];
    let e = eps[m * L + j];
    let zj = mu + exp(0.5 * logvar) * e;
    z[m * params.ldZ + j] = zj;
    if (MC == 1u) { s -= zj * zj - e * e - logvar; } else { s += 1.0 + logvar - mu * mu - exp(logvar); }
  }
  for (var j = L; j < params.ldZ; j++) { z[m * params.ldZ + j] = 0.0; }
  kl[m] = -0.5 * s;
}

// row m's dh, the KL's part scaled by k (params.scale, or params.scale * rowW[m] when weighted)
fn backwardRow(m: u32, k: f32) {
  let L = params.L;
  for (var j = 0u; j < L; j++) {
    let mu = h[m * params.ldH + j];
    let logvar = h[m * params.ldH + L + j];
    let sigma = exp(0.5 * logvar);
    let g = dz[m * params.ldZ + j];
    if (MC == 1u) {
      let e = eps[m * L + j];
      let gz = g + k * (mu + sigma * e);
      dh[m * params.ldH + j] = gz;
      dh[m * params.ldH + L + j] = 0.5 * sigma * gz * e - 0.5 * k;
    } else {
      dh[m * params.ldH + j] = g + k * mu;
      dh[m * params.ldH + L + j] = 0.5 * g * eps[m * L + j] * sigma + k * 0.5 * (sigma * sigma - 1.0);
    }
  }
  for (var j = 2u * L; j < params.ldH; j++) { dh[m * params.ldH + j] = 0.0; }
}

// #include "lib/reparam_backward.wgsl"
