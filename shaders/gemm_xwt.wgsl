// Forward dense layer: Y = act(X · Wᵀ + b), act = ReLU when RELU else identity; with SLOPE > 0 the
// activation is LeakyReLU (v for v > 0, SLOPE * v otherwise).
// X: (M, K) row stride ldK = ceil4(K)          W: (ceil4(N), K) row stride ldK, padding rows 0
// b: (ceil4(N)), padding 0                      Y: (M, N) row stride ldN = ceil4(N)
// Padding columns of X and padding rows/columns of W are 0, so padding columns of Y come out 0.
// One invocation computes a 4-row x 4-column block of Y from vec4 loads along K, without
// workgroup memory (barriers are costly on software adapters; real GPUs serve the reuse from L1).
// Dispatch: (ceil(ldN/4 / 8), ceil(M/4 / 8), 1) workgroups of 8x8.
override RELU: bool = false;
override SLOPE: f32 = 0.0;

struct Dims { M: u32, ldN4: u32, ldK4: u32, _pad: u32 }  // ld in vec4 units

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> bias: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> Y: array<vec4<f32>>;

fn finish(v: vec4<f32>) -> vec4<f32> {
  if (RELU && SLOPE == 0.0) { return max(v, vec4<f32>(0.0)); }
  if (RELU) { return select(SLOPE * v, v, v > vec4<f32>(0.0)); }
  return v;
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let n4 = gid.x;
  let m0 = gid.y * 4u;
  if (n4 >= dims.ldN4 || m0 >= dims.M) { return; }
  let ldK4 = dims.ldK4;
  // rows past M are read from the last row (always in bounds) and never stored
  let last = dims.M - 1u;
  let x0 = min(m0, last) * ldK4;
  let x1 = min(m0 + 1u, last) * ldK4;
  let x2 = min(m0 + 2u, last) * ldK4;
  let x3 = min(m0 + 3u, last) * ldK4;
  let w0 = n4 * 4u * ldK4;
  let w1 = w0 + ldK4;
  let w2 = w1 + ldK4;
  let w3 = w2 + ldK4;
  var a0 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  for (var k = 0u; k < ldK4; k++) {
    let b0 = W[w0 + k];
    let b1 = W[w1 + k];
    let b2 = W[w2 + k];
    let b3 = W[w3 + k];
    let r0 = X[x0 + k];
    let r1 = X[x1 + k];
    let r2 = X[x2 + k];
    let r3 = X[x3 + k];
    a0 += vec4<f32>(dot(r0, b0), dot(r0, b1), dot(r0, b2), dot(r0, b3));
    a1 += vec4<f32>(dot(r1, b0), dot(r1, b1), dot(r1, b2), dot(r1, b3));
    a2 += vec4<f32>(dot(r2, b0), dot(r2, b1), dot(r2, b2), dot(r2, b3));
    a3 += vec4<f32>(dot(r3, b0), dot(r3, b1), dot(r3, b2), dot(r3, b3));
  }
  let b = bias[n4];
  let ldN4 = dims.ldN4;
  Y[m0 * ldN4 + n4] = finish(a0 + b);
  if (m0 + 1u < dims.M) { Y[(m0 + 1u) * ldN4 + n4] = finish(a1 + b); }
  if (m0 + 2u < dims.M) { Y[(m0 + 2u) * ldN4 + n4] = finish(a2 + b); }
  if (m0 + 3u < dims.M) { Y[(m0 + 3u) * ldN4 + n4] = finish(a3 + b); }
}
