// Minibatch gather: x[m, :] = images[order[(state.step - epochStart) * B + m], :] / 255.
// images: (N, D) bytes, packed 4 per u32 (the training set stays on the GPU as bytes for the run);
//   FORMAT = 1: (N, D) f32 values, copied as they are (real-valued data such as the synthetic sets)
// order: the epoch's shuffled image indices (u32), uploaded once per epoch
// x: (B, D) f32, row stride ld = ceil4(D), bound as vec4 rows of ld / 4; padding written 0.
// Each invocation writes 4 vec4s of a row (16 pixels; the last of a row what is left), one u32
// load per 4 bytes: on lavapipe every storage load costs ~10 instructions per lane, so this ran
// ~2.5x faster than one invocation per pixel, and 1.6x faster than one per vec4 (one order[]
// load per 16 pixels; 8 vec4s per invocation was no faster). A row of bytes need not start on a
// word (D % 4 != 0): then 4 pixels straddle two words, the second loaded only when a live pixel
// lies in it.
// The batch position comes from the GPU step counter, so the step needs no CPU write.
// Entry point `labels` (conditional VAEs): batchLabels[m] = setLabels[order[(step - epochStart) * B + m]],
// the same pick as the images; dispatch (ceil(B / 64), 1, 1).
// Dispatch: (ceil(ld / 16 / 64), B, 1).
override FORMAT: u32 = 0u;

struct Params { B: u32, D: u32, ld: u32, epochStart: u32 }
struct State { step: u32, _p0: u32, _p1: u32, _p2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> state: State;
@group(0) @binding(2) var<storage, read> images: array<u32>;
@group(0) @binding(3) var<storage, read> order: array<u32>;
@group(0) @binding(4) var<storage, read_write> x: array<vec4<f32>>;

// x's vec4 c of row m from image img
fn pixels4(m: u32, c: u32, img: u32, ld4: u32) {
  let d = 4u * c; // d < D always: ld = ceil4(D), so every vec4 holds at least one pixel
  let k = img * params.D + d;
  let live = vec4<u32>(d) + vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(params.D);
  var v = vec4<f32>(0.0);
  if (FORMAT == 1u) {
    for (var j = 0u; j < 4u; j++) {
      if (live[j]) { v[j] = bitcast<f32>(images[k + j]); }
    }
  } else {
    let s = k % 4u; // the first pixel's byte in its word
    let lo = images[k / 4u];
    var hi = 0u;
    if (s != 0u && d + 4u - s < params.D) { hi = images[k / 4u + 1u]; }
    // shifts count mod 32, so s = 0 (hi unused) takes lo as it is
    let word = select((lo >> (8u * s)) | (hi << (32u - 8u * s)), lo, s == 0u);
    let bytes = (vec4<u32>(word) >> vec4<u32>(0u, 8u, 16u, 24u)) & vec4<u32>(0xffu);
    v = select(vec4<f32>(0.0), vec4<f32>(bytes) / 255.0, live);
  }
  x[m * ld4 + c] = v;
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let c0 = 4u * gid.x;
  let m = gid.y;
  let ld4 = params.ld / 4u;
  if (c0 >= ld4 || m >= params.B) { return; }
  let img = order[(state.step - params.epochStart) * params.B + m];
  if (c0 + 3u < ld4) {
    pixels4(m, c0, img, ld4);
    pixels4(m, c0 + 1u, img, ld4);
    pixels4(m, c0 + 2u, img, ld4);
    pixels4(m, c0 + 3u, img, ld4);
  } else {
    for (var c = c0; c < ld4; c++) { pixels4(m, c, img, ld4); }
  }
}

@group(0) @binding(5) var<storage, read> setLabels: array<u32>;
@group(0) @binding(6) var<storage, read_write> batchLabels: array<u32>;

@compute @workgroup_size(64)
fn labels(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = gid.x;
  if (m >= params.B) { return; }
  batchLabels[m] = setLabels[order[(state.step - params.epochStart) * params.B + m]];
}
