// Weight and bias gradients of a dense layer: dW = dYᵀ · X and db = column sums of dY.
// dY: (M, N) row stride ldN = ceil4(N), padding 0      X: (M, K) row stride ldK, padding 0
// dW: (ceil4(N), K) row stride ldK (padding stays 0)    db: (ceil4(N))
// One invocation computes a 4x4 block of dW as a sum of outer products over the M rows
// (one vec4 of dY and one vec4 of X per row); the invocations of column block 0 also write db.
// Dispatch: (ceil(ldK/4 / 8), ceil(ldN/4 / 8), 1) workgroups of 8x8.
struct Dims { M: u32, ldN4: u32, ldK4: u32, _pad: u32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> dY: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> dW: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> db: array<vec4<f32>>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k4 = gid.x;
  let n4 = gid.y;
  if (k4 >= dims.ldK4 || n4 >= dims.ldN4) { return; }
  let ldN4 = dims.ldN4;
  let ldK4 = dims.ldK4;
  var a0 = vec4<f32>(0.0);
  var a1 = vec4<f32>(0.0);
  var a2 = vec4<f32>(0.0);
  var a3 = vec4<f32>(0.0);
  var s = vec4<f32>(0.0);
  for (var m = 0u; m < dims.M; m++) {
    let g = dY[m * ldN4 + n4];
    let x = X[m * ldK4 + k4];
    a0 += g.x * x;
    a1 += g.y * x;
    a2 += g.z * x;
    a3 += g.w * x;
    s += g;
  }
  let w = n4 * 4u * ldK4 + k4;
  dW[w] = a0;
  dW[w + ldK4] = a1;
  dW[w + 2u * ldK4] = a2;
  dW[w + 3u * ldK4] = a3;
  if (k4 == 0u) { db[n4] = s; }
}
