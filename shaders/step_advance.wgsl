// Ends a training step on the GPU: the step counter feeds the noise counters and Adam's bias
// correction, so advancing it here keeps the per-minibatch path free of CPU writes.
// Dispatch: (1, 1, 1).
struct State { step: u32, _p0: u32, _p1: u32, _p2: u32 }

@group(0) @binding(0) var<storage, read_write> state: State;

@compute @workgroup_size(1)
fn main() {
  state.step += 1u;
}
