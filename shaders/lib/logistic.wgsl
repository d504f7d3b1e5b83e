// log1p, softplus and sigmoid in f32 without overflow or cancellation. The references use
// Math.log1p and their own sigmoid, so every kernel-vs-reference test checks these too.
// Included by reparam_kl_t, mwg_log_weight, mwg_table, mwg_accept, bce_sigmoid and table_nll;
// uses no name of theirs.

// log(1 + u) for u >= 0, accurate relative to its value. WGSL's log() is only accurate to an
// absolute 2^-21 near 1, and with nu large the t terms are (nu+1)/2 times differences of tiny logs,
// so small u takes the series log1p(u) = 2 atanh(s) = 2 (s + s^3/3 + ...), s = u / (2 + u).
fn log1p(u: f32) -> f32 {
  if (u >= 0.5) { return log(1.0 + u); }
  let s = u / (2.0 + u);
  let s2 = s * s;
  return 2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0 + s2 / 13.0))))));
}

// softplus(l) = log(1 + exp(l)) without overflow
fn softplus(l: f32) -> f32 { return max(l, 0.0) + log1p(exp(-abs(l))); }

// sigmoid without overflow for large |l|
fn sigmoid(l: f32) -> f32 {
  let e = exp(-abs(l));
  return select(e / (1.0 + e), 1.0 / (1.0 + e), l >= 0.0);
}
