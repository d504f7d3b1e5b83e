// Moves images between the two layouts the CNN needs: the likelihood's dense rows (N, P*C), one
// image per row (stride ldd), and the convolutions' pixel rows (N*P, C) with the channel stride
// ldp = ceil4(C). The two differ only when C is not a multiple of 4 (MNIST's single channel), where
// no zero-copy view exists (src/kernels/conv_layout.ts covers the other case).
//   to_pixels:   pixels[(n*P + p)*ldp + c] = dense[n*ldd + p*C + c]   (channel padding untouched: 0)
//   from_pixels: dense[n*ldd + p*C + c] = pixels[(n*P + p)*ldp + c]
// Dispatch: 1-D over N*P*C elements, workgroups of 64, folded into (x, y) when needed.
struct Geo { count: u32, P: u32, C: u32, ldd: u32, ldp: u32, _a: u32, _b: u32, _c: u32 }

@group(0) @binding(0) var<uniform> geo: Geo;
@group(0) @binding(1) var<storage, read_write> dense: array<f32>;
@group(0) @binding(2) var<storage, read_write> pixels: array<f32>;

fn place(i: u32) -> vec2<u32> {
  let c = i % geo.C;
  let np = i / geo.C;
  let p = np % geo.P;
  let n = np / geo.P;
  return vec2<u32>(n * geo.ldd + p * geo.C + c, np * geo.ldp + c);
}

@compute @workgroup_size(64)
fn to_pixels(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.y * nwg.x * 64u + gid.x;
  if (i >= geo.count) { return; }
  let at = place(i);
  pixels[at.y] = dense[at.x];
}

@compute @workgroup_size(64)
fn from_pixels(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.y * nwg.x * 64u + gid.x;
  if (i >= geo.count) { return; }
  let at = place(i);
  dense[at.x] = pixels[at.y];
}
