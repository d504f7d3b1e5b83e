// Input gradient of a dense layer: dX = (dY · W) ⊙ [A > 0] (mask only when MASK, i.e. when the
// layer's input came out of a ReLU; A is that ReLU's output). With SLOPE > 0 (LeakyReLU) the mask
// is 1 where A > 0 and SLOPE elsewhere: A > 0 exactly where the pre-activation is.
// dY: (M, N) row stride ldN = ceil4(N), padding 0      W: (ceil4(N), K) row stride ldK, padding 0
// A, dX: (M, K) row stride ldK = ceil4(K)
// One invocation computes a 4-row x 4-column block of dX; the reduction runs over N four rows of
// W at a time, each row read as a vec4 across the block's columns.
// Dispatch: (ceil(ldK/4 / 8), ceil(M/4 / 8), 1) workgroups of 8x8.
override MASK: bool = false;
override SLOPE: f32 = 0.0;

struct Dims { M: u32, ldN4: u32, ldK4: u32, _pad: u32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dY: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> dX: array<vec4<f32>>;

fn finish(v: vec4<f32>, row: u32, k4: u32) -> vec4<f32> {
  if (MASK && SLOPE == 0.0) { return select(vec4<f32>(0.0), v, A[row * dims.ldK4 + k4] > vec4<f32>(0.0)); }
  if (MASK) { return select(SLOPE * v, v, A[row * dims.ldK4 + k4] > vec4<f32>(0.0)); }
  return v;
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k4 = gid.x;
  let m0 = gid.y * 4u;
  if (k4 >= dims.ldK4 || m0 >= dims.M) { return; }
  let ldN4 = dims.ldN4;
  let ldK4 = dims.ldK4;
  let last = dims.M - 1u;
  let y0 = min(m0, last) * ldN4;
  let y1 = min(m0 + 1u, last) * ldN4;
  let y2 = min(m0 + 2u, last) * ldN4;
  let y3 = min(m0 + 3u, last) * ldN4;
  var a0 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  for (var n4 = 0u; n4 < ldN4; n4++) {
    let w = n4 * 4u * ldK4 + k4;
    let b0 = W[w];
    let b1 = W[w + ldK4];
    let b2 = W[w + 2u * ldK4];
    let b3 = W[w + 3u * ldK4];
    let g0 = dY[y0 + n4];
    let g1 = dY[y1 + n4];
    let g2 = dY[y2 + n4];
    let g3 = dY[y3 + n4];
    a0 += g0.x * b0 + g0.y * b1 + g0.z * b2 + g0.w * b3;
    a1 += g1.x * b0 + g1.y * b1 + g1.z * b2 + g1.w * b3;
    a2 += g2.x * b0 + g2.y * b1 + g2.z * b2 + g2.w * b3;
    a3 += g3.x * b0 + g3.y * b1 + g3.z * b2 + g3.w * b3;
  }
  dX[m0 * ldK4 + k4] = finish(a0, m0, k4);
  if (m0 + 1u < dims.M) { dX[(m0 + 1u) * ldK4 + k4] = finish(a1, m0 + 1u, k4); }
  if (m0 + 2u < dims.M) { dX[(m0 + 2u) * ldK4 + k4] = finish(a2, m0 + 2u, k4); }
  if (m0 + 3u < dims.M) { dX[(m0 + 3u) * ldK4 + k4] = finish(a3, m0 + 3u, k4); }
}
