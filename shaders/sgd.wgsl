// Plain SGD over the whole parameter block: p -= lr * g.
// p, g: (n4 vec4) — every layer's weights and biases in one allocation; gaps and padding have g = 0.
// Dispatch: (ceil(n4 / 256), 1, 1).
struct Params { n4: u32, lr: f32, _p0: u32, _p1: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> p: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> g: array<vec4<f32>>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= params.n4) { return; }
  p[i] -= params.lr * g[i];
}
