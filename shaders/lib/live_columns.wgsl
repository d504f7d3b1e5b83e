// Which of the four columns 4c .. 4c+3 of a row's vec4 c lie in a row of D values; the rest is the
// row's padding up to ld = ceil4(D), whose terms the row-per-invocation kernels leave out of their
// sums and gradients. Included by bce_sigmoid, gaussian_nll and mwg_log_weight; uses no name of theirs.
fn liveColumns(c: u32, D: u32) -> vec4<bool> {
  return vec4<u32>(4u * c) + vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(D);
}
