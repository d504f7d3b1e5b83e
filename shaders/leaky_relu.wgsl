// LeakyReLU forward and backward, elementwise over vec4s (padding entries 0 stay 0):
//   forward:  y = x for x > 0, SLOPE * x otherwise
//   backward: dx = dy for a > 0, SLOPE * dy otherwise (a = the pre-activation; for SLOPE > 0 the
//             output has the same sign and may be passed instead)
// x, y, a, dy, dx: n4 vec4s (any padded matrix, taken whole)
// Standalone for layers without a neighbour to fuse into; conv2d_fwd, conv2d_bwd_data and
// batchnorm fuse it where it saves a pass over the activation.
// Dispatch: 1-D over n4, workgroups of 64, folded into (x, y) when needed.
override SLOPE: f32 = 0.01;

struct Geo { n4: u32, _a: u32, _b: u32, _c: u32 }

@group(0) @binding(0) var<uniform> geo: Geo;
@group(0) @binding(1) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> Y: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> dY: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> dX: array<vec4<f32>>;

@compute @workgroup_size(64)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.y * nwg.x * 64u + gid.x;
  if (i >= geo.n4) { return; }
  let x = X[i];
  Y[i] = select(x * SLOPE, x, x > vec4<f32>(0.0));
}

@compute @workgroup_size(64)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.y * nwg.x * 64u + gid.x;
  if (i >= geo.n4) { return; }
  let g = dY[i];
  dX[i] = select(g * SLOPE, g, A[i] > vec4<f32>(0.0));
}
