// The conditional VAE's input concatenation: dst = [src | onehot(label)], and its backward, the
// slice of the gradient that belongs to src. W [a; y] = W_a a + W_y y, so with the one-hot label as
// extra input columns the layer's GEMM is unchanged: it reads the label columns like any others,
// and W_y y is a per-class column of W_y added to the pre-activation (a learned class bias).
//   src: (M, K) row stride ldS = ceil4(K)      labels: (M) u32 in [0, C)
//   dst: (M, K + C) row stride ldD = ceil4(K + C), padding written 0
//   forward:  dst[m, j] = src[m, j] (j < K); 1 if j - K = labels[m] else 0 (K <= j < K + C)
//   backward: dsrc[m, j] = ddst[m, j] (j < K); padding of dsrc written 0
// Dispatch: (ceil(ldD / 64), M, 1) for forward, (ceil(ldS / 64), M, 1) for backward.
struct Params { M: u32, K: u32, C: u32, ldS: u32, ldD: u32, _p0: u32, _p1: u32, _p2: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<u32>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;

@compute @workgroup_size(64)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let m = gid.y;
  if (j >= params.ldD || m >= params.M) { return; }
  var v = 0.0;
  if (j < params.K) {
    v = src[m * params.ldS + j];
  } else if (j < params.K + params.C) {
    v = select(0.0, 1.0, labels[m] == j - params.K);
  }
  dst[m * params.ldD + j] = v;
}

@group(0) @binding(4) var<storage, read> ddst: array<f32>;
@group(0) @binding(5) var<storage, read_write> dsrc: array<f32>;

@compute @workgroup_size(64)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let m = gid.y;
  if (j >= params.ldS || m >= params.M) { return; }
  dsrc[m * params.ldS + j] = select(0.0, ddst[m * params.ldD + j], j < params.K);
}
