// Student-t-prior VAE sampling + one-sample Monte-Carlo KL, forward and backward (row per invocation).
// Prior t(0, I, nu), posterior t(mu, sigma, nu), sigma = exp(logvar/2), eps ~ t(nu) given:
//   forward:  z = mu + sigma * eps
//             kl[m] = sum_j -logvar/2 - (nu+1)/2 log1p(eps^2/nu) + (nu+1)/2 log1p(z^2/nu)
//   backward: dKL/dmu = (nu+1) z / (nu + z^2);  dKL/dsigma = -1/sigma + (nu+1) z eps / (nu + z^2)
//             dmu = dz + scale * dKL/dmu;  dlogvar = (dz * eps + scale * dKL/dsigma) * sigma / 2
// Layouts as in reparam_kl_gauss.wgsl. Dispatch: (ceil(M / 64), 1, 1).
struct Params { M: u32, L: u32, ldH: u32, ldZ: u32, scale: f32, nu: f32, _p0: u32, _p1: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> h: array<f32>;
@group(0) @binding(2) var<storage, read> eps: array<f32>;
@group(0) @binding(3) var<storage, read_write> z: array<f32>;
@group(0) @binding(4) var<storage, read_write> kl: array<f32>;

// log(1 + u) for u >= 0, accurate relative to its value. WGSL's log() is only accurate to an
// absolute 2^-21 near 1, and with nu large the KL is (nu+1)/2 times a difference of two tiny logs,
// so small u takes the series log1p(u) = 2 atanh(s) = 2 (s + s^3/3 + ...), s = u / (2 + u).
fn log1p(u: f32) -> f32 {
  if (u >= 0.5) { return log(1.0 + u); }
  let s = u / (2.0 + u);
  let s2 = s * s;
  return 2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0 + s2 / 13.0))))));
}

@compute @workgroup_size(64)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.M) { return; }
  let L = params.L;
  let nu = params.nu;
  let c = 0.5 * (nu + 1.0);
  var s = 0.0;
  for (var j = 0u; j < L; j++) {
    let mu = h[m * params.ldH + j];
    let logvar = h[m * params.ldH + L + j];
    let e = eps[m * L + j];
    let zj = mu + exp(0.5 * logvar) * e;
    z[m * params.ldZ + j] = zj;
    s += -0.5 * logvar - c * log1p(e * e / nu) + c * log1p(zj * zj / nu);
  }
  for (var j = L; j < params.ldZ; j++) { z[m * params.ldZ + j] = 0.0; }
  kl[m] = s;
}

@group(0) @binding(5) var<storage, read> dz: array<f32>;
@group(0) @binding(6) var<storage, read_write> dh: array<f32>;

@compute @workgroup_size(64)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.M) { return; }
  let L = params.L;
  let nu = params.nu;
  let k = params.scale;
  for (var j = 0u; j < L; j++) {
    let mu = h[m * params.ldH + j];
    let logvar = h[m * params.ldH + L + j];
    let sigma = exp(0.5 * logvar);
    let e = eps[m * L + j];
    let zj = mu + sigma * e;
    let r = (nu + 1.0) * zj / (nu + zj * zj);
    let g = dz[m * params.ldZ + j];
    dh[m * params.ldH + j] = g + k * r;
    dh[m * params.ldH + L + j] = 0.5 * sigma * (g * e + k * (r * e - 1.0 / sigma));
  }
  for (var j = 2u * L; j < params.ldH; j++) { dh[m * params.ldH + j] = 0.0; }
}
