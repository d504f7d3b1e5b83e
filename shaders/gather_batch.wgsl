// Minibatch gather: x[m, :] = images[order[(state.step - epochStart) * B + m], :] / 255.
// images: (N, D) bytes, packed 4 per u32 (the training set stays on the GPU as bytes for the run);
//   FORMAT = 1: (N, D) f32 values, copied as they are (real-valued data such as the synthetic sets)
// order: the epoch's shuffled image indices (u32), uploaded once per epoch
// x: (B, D) f32, row stride ld = ceil4(D); padding written 0.
// The batch position comes from the GPU step counter, so the step needs no CPU write.
// Entry point `labels` (conditional VAEs): batchLabels[m] = setLabels[order[(step - epochStart) * B + m]],
// the same pick as the images; dispatch (ceil(B / 64), 1, 1).
// Dispatch: (ceil(ld / 64), B, 1).
override FORMAT: u32 = 0u;

struct Params { B: u32, D: u32, ld: u32, epochStart: u32 }
struct State { step: u32, _p0: u32, _p1: u32, _p2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> state: State;
@group(0) @binding(2) var<storage, read> images: array<u32>;
@group(0) @binding(3) var<storage, read> order: array<u32>;
@group(0) @binding(4) var<storage, read_write> x: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let d = gid.x;
  let m = gid.y;
  if (d >= params.ld || m >= params.B) { return; }
  var v = 0.0;
  if (d < params.D) {
    let img = order[(state.step - params.epochStart) * params.B + m];
    let k = img * params.D + d;
    if (FORMAT == 1u) {
      v = bitcast<f32>(images[k]);
    } else {
      v = f32((images[k / 4u] >> ((k % 4u) * 8u)) & 0xffu) / 255.0;
    }
  }
  x[m * params.ld + d] = v;
}

@group(0) @binding(5) var<storage, read> setLabels: array<u32>;
@group(0) @binding(6) var<storage, read_write> batchLabels: array<u32>;

@compute @workgroup_size(64)
fn labels(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.B) { return; }
  batchLabels[m] = setLabels[order[(state.step - params.epochStart) * params.B + m]];
}
