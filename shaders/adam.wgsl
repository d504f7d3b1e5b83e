// Adam over the whole parameter block, with bias correction for step t = state.step + 1:
//   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
// p, g, m, v: (n4 vec4). The step comes from the training state, so no CPU write per minibatch.
// Four consecutive vec4s per invocation (the last invocation takes what is left), the two bias
// corrections (pow) computed once for them: as sgd.wgsl, fewer invocations to set up on lavapipe.
// Dispatch: (ceil(n4 / 256), 1, 1) workgroups of 64.
struct Params { n4: u32, lr: f32, beta1: f32, beta2: f32, eps: f32, _p0: u32, _p1: u32, _p2: u32 }
struct State { step: u32, _p0: u32, _p1: u32, _p2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> state: State;
@group(0) @binding(2) var<storage, read_write> p: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> g: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> m: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> v: array<vec4<f32>>;

// c1 = 1 - b1^t, c2 = 1 - b2^t
fn update(i: u32, c1: f32, c2: f32) {
  let gi = g[i];
  let mi = params.beta1 * m[i] + (1.0 - params.beta1) * gi;
  let vi = params.beta2 * v[i] + (1.0 - params.beta2) * gi * gi;
  m[i] = mi;
  v[i] = vi;
  let mhat = mi / c1;
  let vhat = vi / c2;
  p[i] -= params.lr * mhat / (sqrt(vhat) + params.eps);
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let t = f32(state.step + 1u);
  let c1 = 1.0 - pow(params.beta1, t);
  let c2 = 1.0 - pow(params.beta2, t);
  let i0 = 4u * gid.x;
  if (i0 + 3u < params.n4) {
    update(i0, c1, c2);
    update(i0 + 1u, c1, c2);
    update(i0 + 2u, c1, c2);
    update(i0 + 3u, c1, c2);
  } else {
    for (var i = i0; i < params.n4; i++) { update(i, c1, c2); }
  }
}
