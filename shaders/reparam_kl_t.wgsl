// Student-t-prior VAE sampling + one-sample Monte-Carlo KL, forward and backward (row per invocation).
// Prior t(0, I, nu), posterior t(mu, sigma, nu), sigma = exp(logvar/2), eps given (drawn by
// sample_eps.wgsl from the same family); KL = log q(z) - log p(z), the shared normalising constant
// cancelling. FAMILY picks how the L coordinates are joined:
//   FAMILY 1, iid t (one chi2 per coordinate), c = (nu+1)/2:
//     kl[m] = sum_j -logvar_j/2 - c log1p(eps_j^2/nu) + c log1p(z_j^2/nu);  r_j = (nu+1) z_j / (nu + z_j^2)
//   FAMILY 2, multivariate t (one chi2 per row), c = (nu+L)/2:
//     kl[m] = sum_j -logvar_j/2 - c log1p(|eps|^2/nu) + c log1p(|z|^2/nu);   r_j = (nu+L) z_j / (nu + |z|^2)
//   forward:  z = mu + sigma * eps
//   backward: dKL/dmu_j = r_j, dKL/dlogvar_j = -1/2 + r_j eps_j sigma_j / 2;
//             dmu = dz + scale * r;  dlogvar = sigma/2 * (dz * eps + scale * r * eps) - scale/2
//             (written so that an underflowed sigma gives 0 * finite, never 0 * inf)
// backward_weighted (the importance-weighted bound, iw_weights.wgsl): scale * rowW[m] for row m's
// KL part instead of scale; rowW: (M) the rows' self-normalised weights.
// Layouts as in reparam_kl_gauss.wgsl. Dispatch: (ceil(M / 64), 1, 1).
override FAMILY: u32 = 1u;

// #include "lib/reparam_io.wgsl"

// #include "lib/logistic.wgsl"

// |z|^2 of row m (multivariate family only)
fn zNorm2(m: u32) -> f32 {
  var s = 0.0;
  for (var j = 0u; j < params.L; j++) {
    let zj = h[m * params.ldH + j] + exp(0.5 * h[m * params.ldH + params.L + j]) * eps[m * params.L + j];
    s += zj * zj;
  }
  return s;
}

@compute @workgroup_size(64)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.M) { return; }
  let L = params.L;
  let nu = params.nu;
  var s = 0.0;
  var sz = 0.0;
  var se = 0.0;
  for (var j = 0u; j < L; j++) {
    let mu = h[m * params.ldH + j];
    let logvar = h[m * params.ldH + L + j];
    let e = eps[m * L + j];
    let zj = mu + exp(0.5 * logvar) * e;
    z[m * params.ldZ + j] = zj;
    s += -0.5 * logvar;
    if (FAMILY == 1u) {
      let c = 0.5 * (nu + 1.0);
      s += c * log1p(zj * zj / nu) - c * log1p(e * e / nu);
    } else {
      sz += zj * zj;
      se += e * e;
    }
  }
  if (FAMILY == 2u) {
    let c = 0.5 * (nu + f32(L));
    s += c * log1p(sz / nu) - c * log1p(se / nu);
  }
  for (var j = L; j < params.ldZ; j++) { z[m * params.ldZ + j] = 0.0; }
  kl[m] = s;
}

// row m's dh, the KL's part scaled by k (params.scale, or params.scale * rowW[m] when weighted)
fn backwardRow(m: u32, k: f32) {
  let L = params.L;
  let nu = params.nu;
  var sz = 0.0;
  if (FAMILY == 2u) { sz = zNorm2(m); }
  for (var j = 0u; j < L; j++) {
    let mu = h[m * params.ldH + j];
    let logvar = h[m * params.ldH + L + j];
    let sigma = exp(0.5 * logvar);
    let e = eps[m * L + j];
    let zj = mu + sigma * e;
    var r: f32;
    if (FAMILY == 1u) { r = (nu + 1.0) * zj / (nu + zj * zj); } else { r = (nu + f32(L)) * zj / (nu + sz); }
    let g = dz[m * params.ldZ + j];
    dh[m * params.ldH + j] = g + k * r;
    dh[m * params.ldH + L + j] = 0.5 * sigma * (g * e + k * r * e) - 0.5 * k;
  }
  for (var j = 2u * L; j < params.ldH; j++) { dh[m * params.ldH + j] = 0.0; }
}

// #include "lib/reparam_backward.wgsl"
