// The latent terms of a Metropolis-within-Gibbs acceptance ratio (Mattei & Frellsen 2018):
// wProp = log p(z) - log q(z | h) and wCur = log p(zCur) - log q(zCur | h), prior and posterior one
// family with one nu and one L, their shared normalising constant left out (it cancels in
// wProp - wCur, and keeps lgamma out of WGSL). With s = (z - mu) / sigma, sigma = exp(logvar / 2):
//   MODE 0 (normal):          log p(z) = -1/2 sum z^2;                     log q = sum(-logvar/2 - s^2/2)
//   MODE 1 (iid t(nu)):       log p(z) = -(nu+1)/2 sum log1p(z^2/nu);      log q = sum(-logvar/2 - (nu+1)/2 log1p(s^2/nu))
//   MODE 2 (multivariate t):  log p(z) = -(nu+L)/2 log1p(sum z^2 / nu);    log q = -sum logvar/2 - (nu+L)/2 log1p(sum s^2 / nu)
// src/ref/mwg_log_weight.ts is the reference. Included by mwg_log_weight.wgsl and mwg_table.wgsl
// after lib/logistic.wgsl (log1p); uses the including shader's `override MODE`, `params.L`,
// `params.nu` and its arrays h (rows [mu | logvar]), z and zCur.

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

// (wProp, wCur) of the row whose h starts at hb and whose z and zCur start at zb
fn latentWeights(hb: u32, zb: u32) -> vec2<f32> {
  let L = params.L;
  var prior = 0.0;
  var priorCur = 0.0;
  var q = 0.0;
  var qCur = 0.0;
  var logvarSum = 0.0;
  for (var j = 0u; j < L; j++) {
    let mu = h[hb + j];
    let logvar = h[hb + L + j];
    let inv = exp(-0.5 * logvar);
    let zj = z[zb + j];
    let zc = zCur[zb + j];
    prior += coord(zj);
    priorCur += coord(zc);
    q += coord((zj - mu) * inv);
    qCur += coord((zc - mu) * inv);
    logvarSum += logvar;
  }
  return vec2<f32>(finish(prior) - (finish(q) - 0.5 * logvarSum), finish(priorCur) - (finish(qCur) - 0.5 * logvarSum));
}
