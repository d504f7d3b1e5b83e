// Adam over the whole parameter block, with bias correction for step t = state.step + 1:
//   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
// p, g, m, v: (n4 vec4). The step comes from the training state, so no CPU write per minibatch.
// Dispatch: (ceil(n4 / 256), 1, 1).
struct Params { n4: u32, lr: f32, beta1: f32, beta2: f32, eps: f32, _p0: u32, _p1: u32, _p2: u32 }
struct State { step: u32, _p0: u32, _p1: u32, _p2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> state: State;
@group(0) @binding(2) var<storage, read_write> p: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> g: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> m: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> v: array<vec4<f32>>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= params.n4) { return; }
  let t = f32(state.step + 1u);
  let gi = g[i];
  let mi = params.beta1 * m[i] + (1.0 - params.beta1) * gi;
  let vi = params.beta2 * v[i] + (1.0 - params.beta2) * gi * gi;
  m[i] = mi;
  v[i] = vi;
  let mhat = mi / (1.0 - pow(params.beta1, t));
  let vhat = vi / (1.0 - pow(params.beta2, t));
  p[i] -= params.lr * mhat / (sqrt(vhat) + params.eps);
}
