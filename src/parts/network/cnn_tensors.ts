// The CNN's parameter block <-> named tensors in PyTorch's layouts and names:
//   <conv>.weight (Cout, Cin, k, k), <deconv>.weight (Cin, Cout, k, k), <.>.bias (Cout),
//   <bn>.weight / .bias (gamma, beta), <bn>.running_mean / .running_var,
//   encoder.head.weight (head, flat) and decoder.fc.weight (flat, latent) with `flat` in PyTorch's
//   (c, h, w) flatten order. The GPU flattens (h, w, c) (a zero-copy view of NHWC rows), so the
//   dense layers' columns (head) and rows (fc) are permuted here, once, on the way in and out.
// A PyTorch model with the same layers (nn.Flatten, ConvTranspose2d, BatchNorm2d) loads the export
// as it is; the float64 model (src/ref/cnn_vae.ts) computes in these layouts too.
import { fail } from '../../errors.ts';
import { weightFromGpu, weightToGpu } from '../../kernels/conv_layout.ts';
import { packParams, unpackParams, type ParamLayout } from '../../model/param_layout.ts';
import type { CnnPlan, CnnSlot } from './cnn.ts';

export interface NamedTensor { data: Float64Array; shape: number[] }
export type NamedTensors = Record<string, NamedTensor>;

/** gpu flat index (h, w, c) -> torch flat index (c, h, w) of the last feature map */
function flatPermutation(plan: CnnPlan): Int32Array {
  const { H, W, C } = plan.levels[plan.levels.length - 1];
  const perm = new Int32Array(plan.flat);
  for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) perm[(h * W + w) * C + c] = c * H * W + h * W + w;
  return perm;
}

function names(s: CnnSlot): [string, string] {
  return s.kind === 'bnstat' ? [`${s.name}.running_mean`, `${s.name}.running_var`] : [`${s.name}.weight`, `${s.name}.bias`];
}

function shapes(plan: CnnPlan, s: CnnSlot): [number[], number[]] {
  const k = plan.net.kernel;
  switch (s.kind) {
    case 'conv': return [[s.cout, s.cin, k, k], [s.cout]];
    case 'convT': return [[s.cin, s.cout, k, k], [s.cout]];
    case 'bn': case 'bnstat': return [[s.cin], [s.cin]];
    case 'dense': return [[s.cout, s.cin], [s.cout]];
  }
}

/** Every tensor's name and PyTorch shape, in block order. */
export function cnnTensorShapes(plan: CnnPlan): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const s of plan.slots) {
    const [wn, bn] = names(s), [ws, bs] = shapes(plan, s);
    out[wn] = ws;
    out[bn] = bs;
  }
  return out;
}

/** The block (parameters or gradients) as named PyTorch-layout tensors. */
export function cnnTensors(plan: CnnPlan, layout: ParamLayout, block: Float32Array): NamedTensors {
  if (layout.layers.length !== plan.slots.length) fail(`CNN: the layout has ${layout.layers.length} slots but the network ${plan.slots.length}`);
  const perm = flatPermutation(plan);
  const k = plan.net.kernel;
  const out: NamedTensors = {};
  unpackParams(layout, block).forEach(({ w, b }, i) => {
    const s = plan.slots[i];
    const [wn, bn] = names(s), [ws, bs] = shapes(plan, s);
    let wd: Float64Array, bd = Float64Array.from(b);
    if (s.kind === 'conv') wd = weightFromGpu(w, s.cout, s.cin, k, k);
    else if (s.kind === 'convT') wd = weightFromGpu(w, s.cin, s.cout, k, k);
    else if (s.name === 'encoder.head') {
      wd = new Float64Array(w.length);
      for (let r = 0; r < s.cout; r++) for (let g = 0; g < s.cin; g++) wd[r * s.cin + perm[g]] = w[r * s.cin + g];
    } else if (s.name === 'decoder.fc') {
      wd = new Float64Array(w.length);
      bd = new Float64Array(b.length);
      for (let g = 0; g < s.cout; g++) {
        bd[perm[g]] = b[g];
        for (let c = 0; c < s.cin; c++) wd[perm[g] * s.cin + c] = w[g * s.cin + c];
      }
    } else wd = Float64Array.from(w);
    out[wn] = { data: wd, shape: ws };
    out[bn] = { data: bd, shape: bs };
  });
  return out;
}

/** Named PyTorch-layout tensors (every one of cnnTensorShapes) -> the block, with the likelihood's
 *  extra parameters (if the layout has them) appended. */
export function cnnBlock(plan: CnnPlan, layout: ParamLayout, tensors: Record<string, ArrayLike<number>>, extra?: ArrayLike<number>): Float32Array {
  const perm = flatPermutation(plan);
  const k = plan.net.kernel;
  const want = cnnTensorShapes(plan);
  for (const [name, shape] of Object.entries(want)) {
    const t = tensors[name];
    const n = shape.reduce((a, b) => a * b, 1);
    if (!t) fail(`CNN weights: tensor "${name}" is missing`);
    if (t.length !== n) fail(`CNN weights: tensor "${name}" holds ${t.length} values, expected ${n} (${shape.join('x')})`);
  }
  const values = plan.slots.map((s) => {
    const [wn, bn] = names(s);
    const w = tensors[wn], b = tensors[bn];
    if (s.kind === 'conv') return { w: weightToGpu(w, s.cout, s.cin, k, k), b };
    if (s.kind === 'convT') return { w: weightToGpu(w, s.cin, s.cout, k, k), b };
    if (s.name === 'encoder.head') {
      const g = new Float32Array(w.length);
      for (let r = 0; r < s.cout; r++) for (let i = 0; i < s.cin; i++) g[r * s.cin + i] = w[r * s.cin + perm[i]];
      return { w: g, b };
    }
    if (s.name === 'decoder.fc') {
      const g = new Float32Array(w.length), gb = new Float32Array(b.length);
      for (let i = 0; i < s.cout; i++) {
        gb[i] = b[perm[i]];
        for (let c = 0; c < s.cin; c++) g[i * s.cin + c] = w[perm[i] * s.cin + c];
      }
      return { w: g, b: gb };
    }
    return { w, b };
  });
  const block = packParams(layout, values);
  if (layout.extra) {
    if (!extra || extra.length !== layout.extra.count) fail(`CNN weights: the likelihood needs ${layout.extra.count} extra values, got ${extra?.length ?? 0}`);
    block.set(extra, layout.extra.offset / 4);
  }
  return block;
}

/** Initial tensors: conv and dense weights N(0, 1/fan_in) (variance preserving: the MLP's N(0, 0.1)
 *  across a 2048-wide flatten would start the head's log-variances near +-5), zero biases; batch
 *  norm gamma 1, beta 0, running mean 0, running variance 1 (PyTorch's). */
export function initCnnTensors(plan: CnnPlan, normal: () => number): Record<string, Float64Array> {
  const k = plan.net.kernel;
  const out: Record<string, Float64Array> = {};
  for (const s of plan.slots) {
    const [wn, bn] = names(s), [ws, bs] = shapes(plan, s);
    const nw = ws.reduce((a, b) => a * b, 1), nb = bs[0];
    if (s.kind === 'bn' || s.kind === 'bnstat') {
      out[wn] = new Float64Array(nw).fill(s.kind === 'bn' ? 1 : 0);
      out[bn] = new Float64Array(nb).fill(s.kind === 'bn' ? 0 : 1);
      continue;
    }
    // fan in: a conv reads Cin*k*k values per output; a transposed conv Cin*k*k/stride^2 on average
    const fanIn = s.kind === 'conv' ? s.cin * k * k : s.kind === 'convT' ? Math.max(1, (s.cin * k * k) / (plan.net.stride * plan.net.stride)) : s.cin;
    const std = 1 / Math.sqrt(fanIn);
    const w = new Float64Array(nw);
    for (let i = 0; i < nw; i++) w[i] = std * normal();
    out[wn] = w;
    out[bn] = new Float64Array(nb);
  }
  return out;
}
