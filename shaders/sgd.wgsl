// Plain SGD over the whole parameter block: p -= lr * g.
// p, g: (n4 vec4) — every layer's weights and biases in one allocation; gaps and padding have g = 0.
// Four consecutive vec4s per invocation (the last invocation takes what is left): on lavapipe
// this ran 1.3-1.4x faster than one vec4 per invocation in workgroups of 256 (fewer invocations
// to set up, each lane's loads on one cache line); 8 per invocation or a grid stride did worse.
// Dispatch: (ceil(n4 / 256), 1, 1) workgroups of 64.
struct Params { n4: u32, lr: f32, _p0: u32, _p1: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> p: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> g: array<vec4<f32>>;

fn update(i: u32) {
  p[i] -= params.lr * g[i];
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i0 = 4u * gid.x;
  if (i0 + 3u < params.n4) {
    update(i0);
    update(i0 + 1u);
    update(i0 + 2u);
    update(i0 + 3u);
  } else {
    for (var i = i0; i < params.n4; i++) { update(i); }
  }
}
