// The importance-weighted bound of MIWAE (Mattei & Frellsen 2019; IWAE, Burda et al. 2016) over
// groups of K replicas: rows m = b K + k (k < K) hold K draws z_k ~ q(z | x_b) of data row b, each
// with its log weight log w_m = -(re[m] + kl[m]) = log p(x_obs | z) + log p(z) - log q(z | x)
// (re: the likelihood's row loss; kl: the ONE-SAMPLE log q - log p at the draw). Per group b:
//   bound[b]   = -log (1/K sum_k w_{bK+k})  = -(top + log(sum_k exp(log w - top)) - log K)
//   wt[m]      = exp(log w_m - top) / sum_k exp(log w - top)   (softmax within the group; sums to 1)
//   dOut[m, :] *= wt[m]   the upstream gradient of each replica: the likelihood wrote dOut with the
//              batch's 1/B, and d bound / d log w_m = -wt[m]; the KL part and the likelihood's own
//              parameters read wt themselves (reparam_kl_* `backward_weighted`, table_nll
//              `logvar_grad_weighted`)
//   boundRe[b] = (1/K) sum_k re[bK+k];  boundKl[b] = bound[b] - boundRe[b]   (loss_accumulate's two
//              sums: their total is the bound; with K = 1 they are re and kl)
// top = max_k log w keeps exp from overflowing. A NaN log weight makes the group's sum NaN, and a
// group whose K log weights are all -inf gives NaN as well, so loss_accumulate counts it as
// non-finite; one draw at -inf (an impossible sample) just gets weight 0.
// re, kl, wt: (G K) dense; dOut: (G K, D) row stride ldo = ceil4(D); boundRe, boundKl: (G).
// One invocation per group (K and D are small for tables). Dispatch: (ceil(G / 64), 1, 1).
struct Params { G: u32, K: u32, D: u32, ldo: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> re: array<f32>;
@group(0) @binding(2) var<storage, read> kl: array<f32>;
@group(0) @binding(3) var<storage, read_write> wt: array<f32>;
@group(0) @binding(4) var<storage, read_write> dOut: array<f32>;
@group(0) @binding(5) var<storage, read_write> boundRe: array<f32>;
@group(0) @binding(6) var<storage, read_write> boundKl: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  if (b >= params.G) { return; }
  let K = params.K;
  let first = b * K;
  var top = -(re[first] + kl[first]);
  var reSum = 0.0;
  for (var k = 0u; k < K; k++) {
    top = max(top, -(re[first + k] + kl[first + k]));
    reSum += re[first + k];
  }
  var sum = 0.0;
  for (var k = 0u; k < K; k++) { sum += exp(-(re[first + k] + kl[first + k]) - top); }
  let bound = -(top + log(sum) - log(f32(K)));
  for (var k = 0u; k < K; k++) {
    let m = first + k;
    let w = exp(-(re[m] + kl[m]) - top) / sum;
    wt[m] = w;
    for (var d = 0u; d < params.D; d++) { dOut[m * params.ldo + d] *= w; }
  }
  let reMean = reSum / f32(K);
  boundRe[b] = reMean;
  boundKl[b] = bound - reMean;
}
