// Batch normalisation per channel of an NHWC activation, statistics over all M = N*H*W rows, with
// an optional fused LeakyReLU (slope SLOPE) after it: y = act((x - mean) * scale + beta).
// x, y, dy, dx: (M, C) row stride c4 vec4s (C padded to 4, padding 0)
// gamma, beta, runMean, runVar, dGamma, dBeta: (c4 vec4s), padding 0 (kept 0 here)
// stats: 4 blocks of c4 vec4s: mean, invstd, scale = gamma*invstd, beta (x - mean first: with
// |mean| >> sd, x*scale + (beta - mean*scale) would cancel in f32)
// part: S blocks of (2 c4) vec4s: per row chunk (mean, M2) in the forward, (sum g, sum g*xhat) backward
// Training forward: stats_partial, stats_finalize (batch stats, biased variance; running update
// with momentum and the unbiased variance, PyTorch's convention), apply.
// Evaluation forward: eval_prepare (stats from the running statistics), apply.
// Backward: grad_partial, grad_finalize (dGamma, dBeta), grad_input (dx); g = dy * LeakyReLU'(z)
// is recomputed from x and stats, so no pre-activation buffer is kept.
// Why chunked two-pass partials merged by Chan's formula: a plain sum of squares in f32 loses the
// variance to cancellation when |mean| >> std; per-chunk (mean, M2) pairs keep it (the chunk mean
// itself summed as offsets from the chunk's first row, so large means do not swamp it), and splitting
// the M rows into S chunks gives S*c4 invocations instead of c4 (e.g. 8 for 32 channels).
// Dispatch: *_partial (ceil(S*c4/64)); *_finalize, eval_prepare (ceil(c4/64)); apply, grad_input
// 1-D over M*c4, folded into (x, y); all workgroups of 64.
override LEAKY: bool = false;
override SLOPE: f32 = 0.01;

struct Geo { M: u32, c4: u32, C: u32, chunk: u32, S: u32, eps: f32, momentum: f32, _p: u32 }

@group(0) @binding(0) var<uniform> geo: Geo;
@group(0) @binding(1) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> part: array<vec4<f32>>;
// gamma and beta are only read, but declared read_write: a model keeps them in its parameter block
// next to the running statistics these entries write, and WebGPU refuses one buffer bound writable
// and read-only in the same dispatch
@group(0) @binding(3) var<storage, read_write> gamma: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> beta: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> stats: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> runMean: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read_write> runVar: array<vec4<f32>>;
@group(0) @binding(8) var<storage, read_write> Y: array<vec4<f32>>;
@group(0) @binding(9) var<storage, read> dY: array<vec4<f32>>;
@group(0) @binding(10) var<storage, read_write> dX: array<vec4<f32>>;
@group(0) @binding(11) var<storage, read_write> dGamma: array<vec4<f32>>;
@group(0) @binding(12) var<storage, read_write> dBeta: array<vec4<f32>>;

/** 1 for real channels, 0 for the padding channels of vec4 c. */
fn real(c: u32) -> vec4<f32> {
  return select(vec4<f32>(0.0), vec4<f32>(1.0), vec4<u32>(4u * c) + vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(geo.C));
}

fn rows(z: u32) -> vec2<u32> { return vec2<u32>(z * geo.chunk, min((z + 1u) * geo.chunk, geo.M)); }

@compute @workgroup_size(64)
fn stats_partial(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= geo.S * geo.c4) { return; }
  let c = i % geo.c4;
  let r = rows(i / geo.c4);
  let pivot = X[r.x * geo.c4 + c];
  var s = vec4<f32>(0.0);
  for (var m = r.x; m < r.y; m++) { s += X[m * geo.c4 + c] - pivot; }
  let mean = pivot + s / f32(r.y - r.x);
  var m2 = vec4<f32>(0.0);
  for (var m = r.x; m < r.y; m++) { let d = X[m * geo.c4 + c] - mean; m2 += d * d; }
  part[2u * i] = mean;
  part[2u * i + 1u] = m2;
}

fn store_stats(c: u32, mean: vec4<f32>, variance: vec4<f32>) {
  let k = real(c);
  let invstd = inverseSqrt(variance + geo.eps) * k;
  let scale = gamma[c] * invstd;
  stats[c] = mean * k;
  stats[geo.c4 + c] = invstd;
  stats[2u * geo.c4 + c] = scale;
  stats[3u * geo.c4 + c] = beta[c] * k;
}

@compute @workgroup_size(64)
fn stats_finalize(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  if (c >= geo.c4) { return; }
  // Chan et al.: merge chunk (count nb, mean mb, M2 m2b) into the running (na, mean, m2)
  var na = 0.0;
  var mean = vec4<f32>(0.0);
  var m2 = vec4<f32>(0.0);
  for (var z = 0u; z < geo.S; z++) {
    let r = rows(z);
    let nb = f32(r.y - r.x);
    let i = z * geo.c4 + c;
    let d = part[2u * i] - mean;
    let n = na + nb;
    mean += d * (nb / n);
    m2 += part[2u * i + 1u] + d * d * (na * nb / n);
    na = n;
  }
  let M = f32(geo.M);
  store_stats(c, mean, m2 / M);
  let k = real(c);
  let m = geo.momentum;
  runMean[c] = ((1.0 - m) * runMean[c] + m * mean) * k;
  runVar[c] = ((1.0 - m) * runVar[c] + m * m2 / (M - 1.0)) * k;
}

@compute @workgroup_size(64)
fn eval_prepare(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  if (c >= geo.c4) { return; }
  store_stats(c, runMean[c], runVar[c]);
}

fn leaky(z: vec4<f32>) -> vec4<f32> {
  if (LEAKY) { return select(z * SLOPE, z, z > vec4<f32>(0.0)); }
  return z;
}

fn flat(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.y * nwg.x * 64u + gid.x; }

@compute @workgroup_size(64)
fn apply(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i >= geo.M * geo.c4) { return; }
  let c = i % geo.c4;
  Y[i] = leaky(z(i, c));
}

/** The normalised pre-activation of element i (channel vec4 c). */
fn z(i: u32, c: u32) -> vec4<f32> {
  return (X[i] - stats[c]) * stats[2u * geo.c4 + c] + stats[3u * geo.c4 + c];
}

/** dL/dz: the incoming gradient through the fused LeakyReLU, z recomputed from x. */
fn grad_z(i: u32, c: u32) -> vec4<f32> {
  let g = dY[i];
  if (LEAKY) {
    return select(g * SLOPE, g, z(i, c) > vec4<f32>(0.0));
  }
  return g;
}

@compute @workgroup_size(64)
fn grad_partial(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= geo.S * geo.c4) { return; }
  let c = i % geo.c4;
  let r = rows(i / geo.c4);
  let mean = stats[c];
  let invstd = stats[geo.c4 + c];
  var sg = vec4<f32>(0.0);
  var sgx = vec4<f32>(0.0);
  for (var m = r.x; m < r.y; m++) {
    let j = m * geo.c4 + c;
    let g = grad_z(j, c);
    sg += g;
    sgx += g * (X[j] - mean) * invstd;
  }
  part[2u * i] = sg;
  part[2u * i + 1u] = sgx;
}

@compute @workgroup_size(64)
fn grad_finalize(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c = gid.x;
  if (c >= geo.c4) { return; }
  var sg = vec4<f32>(0.0);
  var sgx = vec4<f32>(0.0);
  for (var z = 0u; z < geo.S; z++) {
    let i = z * geo.c4 + c;
    sg += part[2u * i];
    sgx += part[2u * i + 1u];
  }
  dBeta[c] = sg;
  dGamma[c] = sgx;
}

@compute @workgroup_size(64)
fn grad_input(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat(gid, nwg);
  if (i >= geo.M * geo.c4) { return; }
  let c = i % geo.c4;
  let M = f32(geo.M);
  let xhat = (X[i] - stats[c]) * stats[geo.c4 + c];
  // scale = gamma*invstd is 0 on padding channels, so their dx stays 0
  dX[i] = stats[2u * geo.c4 + c] * (grad_z(i, c) - dBeta[c] / M - xhat * dGamma[c] / M);
}
