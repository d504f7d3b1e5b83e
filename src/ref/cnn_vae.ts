// Float64 CPU reference of the CNN VAE (src/parts/network/cnn.ts): forward, batch-mean loss and
// backward, in PyTorch's layouts (NCHW activations, named tensors from cnn_tensors.ts), built from
// the layer references (conv2d.ts, batchnorm.ts, leaky_relu.ts, gemm.ts) and a latent and a
// likelihood part's float64 halves. It shares no index arithmetic with the GPU path (NHWC rows,
// padded weights, flatten permuted in cnn_tensors.ts), so agreement checks the mapping too.
// mode 'train' normalises with the batch statistics and returns the updated running statistics;
// 'eval' normalises with the running statistics (what validation and evaluation use).
import { fail } from '../errors.ts';
import type { CnnPlan } from '../parts/network/cnn.ts';
import { batchNormBackward, batchNormEval, batchNormRunningUpdate, batchNormTrain, type BnShape } from './batchnorm.ts';
import {
  conv2dBackwardData, conv2dBackwardWeight, conv2dForward,
  convTranspose2dBackwardData, convTranspose2dBackwardWeight, convTranspose2dForward,
} from './conv2d.ts';
import { addBiasRelu, columnSums, matmulDyW, matmulDytX, matmulXWt, reluMask } from './gemm.ts';
import { leakyRelu, leakyReluBackward } from './leaky_relu.ts';
import type { LatentRef, LikelihoodRef } from './parts.ts';

type Tensors = Record<string, ArrayLike<number>>;

export interface CnnRefParts { latent: LatentRef; likelihood: LikelihoodRef; extra?: ArrayLike<number> }

export interface CnnForwardBackward {
  loss: number;
  reRows: Float64Array;
  klRows: Float64Array;
  h: Float64Array;
  z: Float64Array;
  logits: Float64Array;
  /** d(batch-mean loss)/d(every weight, bias, gamma and beta), by tensor name (train mode only) */
  grads: Record<string, Float64Array>;
  gradExtra?: Float64Array;
  /** the running statistics after this batch (train mode) or unchanged (eval) */
  running: Record<string, Float64Array>;
}

interface BnCache { name: string; shape: BnShape; x: Float64Array; pre: Float64Array; mean: Float64Array; invstd: Float64Array }

function get(t: Tensors, name: string): ArrayLike<number> {
  const v = t[name];
  if (!v) fail(`CNN reference: tensor "${name}" is missing`);
  return v;
}

const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;

/** BN (batch or running statistics) then LeakyReLU; records what the backward needs. */
function bnAct(t: Tensors, name: string, x: Float64Array, shape: BnShape, plan: CnnPlan, mode: 'train' | 'eval', running: Record<string, Float64Array>, caches: BnCache[]): Float64Array {
  const { bnEps, momentum, slope } = plan.net;
  const gamma = get(t, `${name}.weight`), beta = get(t, `${name}.bias`);
  const rm = get(t, `${name}.running_mean`), rv = get(t, `${name}.running_var`);
  let pre: Float64Array;
  if (mode === 'train') {
    const bn = batchNormTrain(x, gamma, beta, shape, bnEps);
    const up = batchNormRunningUpdate(rm, rv, bn.mean, bn.variance, shape.N * shape.H * shape.W, momentum);
    running[`${name}.running_mean`] = up.runMean;
    running[`${name}.running_var`] = up.runVar;
    caches.push({ name, shape, x, pre: bn.y, mean: bn.mean, invstd: bn.invstd });
    pre = bn.y;
  } else {
    running[`${name}.running_mean`] = Float64Array.from(rm);
    running[`${name}.running_var`] = Float64Array.from(rv);
    pre = batchNormEval(x, gamma, beta, rm, rv, shape, bnEps);
  }
  return leakyRelu(pre, slope);
}

/** x (B, H*W*C in NCHW order, i.e. (B, D)), eps (B, L) -> losses, gradients, running statistics. */
export function cnnForwardBackward(
  plan: CnnPlan, t: Tensors, x: ArrayLike<number>, eps: ArrayLike<number>, B: number, L: number, parts: CnnRefParts, mode: 'train' | 'eval' = 'train',
): CnnForwardBackward {
  const { levels, net } = plan;
  const n = net.channels.length;
  const D = levels[0].C * levels[0].H * levels[0].W;
  if (x.length !== B * D) fail(`CNN reference: x holds ${x.length} values, expected ${B}x${D}`);
  if (eps.length !== B * L) fail(`CNN reference: eps holds ${eps.length} values, expected ${B}x${L}`);
  const head = parts.latent.headSize(L);
  const running: Record<string, Float64Array> = {};
  const caches: BnCache[] = [];
  // encoder: ins[i] is conv i's input (NCHW), outs the post-activation maps
  const encIn: Float64Array[] = [];
  let a: Float64Array = Float64Array.from(x);
  for (let i = 0; i < n; i++) {
    const s = plan.conv(i, B);
    encIn.push(a);
    const y = conv2dForward(a, get(t, `encoder.conv${i}.weight`), get(t, `encoder.conv${i}.bias`), s);
    const l = levels[i + 1];
    a = bnAct(t, `encoder.bn${i}`, y, { N: B, C: l.C, H: l.H, W: l.W }, plan, mode, running, caches);
  }
  const flatA = a; // NCHW per image = PyTorch's flatten order
  const h = addBiasRelu(matmulXWt(flatA, get(t, 'encoder.head.weight'), B, head, plan.flat), get(t, 'encoder.head.bias'), B, head, false);
  const { z, klRows } = parts.latent.forward(h, eps, B, L);
  const d0 = addBiasRelu(matmulXWt(z, get(t, 'decoder.fc.weight'), B, plan.flat, L), get(t, 'decoder.fc.bias'), B, plan.flat, true, net.slope);
  const decIn: Float64Array[] = [];
  let d: Float64Array = d0;
  for (let j = 0; j < n; j++) {
    const s = plan.convT(j, B);
    decIn.push(d);
    const y = convTranspose2dForward(d, get(t, `decoder.deconv${j}.weight`), get(t, `decoder.deconv${j}.bias`), s);
    const l = levels[n - j - 1];
    d = j < n - 1 ? bnAct(t, `decoder.bn${j}`, y, { N: B, C: l.C, H: l.H, W: l.W }, plan, mode, running, caches) : y;
  }
  const logits = d;
  const lik = parts.likelihood.rows(logits, x, B, D, parts.extra);
  const out: CnnForwardBackward = {
    loss: mean(lik.rowLoss) + mean(klRows), reRows: lik.rowLoss, klRows, h, z, logits, grads: {}, gradExtra: lik.gradExtra, running,
  };
  if (mode === 'eval') return out;

  const g = out.grads;
  const cacheOf = (name: string) => caches.find((c) => c.name === name)!;
  /** dL/d(post-activation) -> dL/d(BN input), filling gamma and beta gradients */
  const bnBack = (name: string, dPost: Float64Array): Float64Array => {
    const c = cacheOf(name);
    const dPre = leakyReluBackward(dPost, c.pre, net.slope);
    const r = batchNormBackward(dPre, c.x, get(t, `${name}.weight`), c.mean, c.invstd, c.shape);
    g[`${name}.weight`] = r.dgamma;
    g[`${name}.bias`] = r.dbeta;
    return r.dx;
  };
  let dy: Float64Array = lik.grad;
  for (let j = n - 1; j >= 0; j--) {
    const s = plan.convT(j, B);
    if (j < n - 1) dy = bnBack(`decoder.bn${j}`, dy);
    const wg = convTranspose2dBackwardWeight(dy, decIn[j], s);
    g[`decoder.deconv${j}.weight`] = wg.dw;
    g[`decoder.deconv${j}.bias`] = wg.db;
    dy = convTranspose2dBackwardData(dy, get(t, `decoder.deconv${j}.weight`), s);
  }
  const dd0 = reluMask(dy, d0, net.slope);
  g['decoder.fc.weight'] = matmulDytX(dd0, z, B, plan.flat, L);
  g['decoder.fc.bias'] = columnSums(dd0, B, plan.flat);
  const dz = matmulDyW(dd0, get(t, 'decoder.fc.weight'), B, plan.flat, L);
  const dh = parts.latent.backward(h, eps, dz, B, L, 1 / B);
  g['encoder.head.weight'] = matmulDytX(dh, flatA, B, head, plan.flat);
  g['encoder.head.bias'] = columnSums(dh, B, head);
  dy = matmulDyW(dh, get(t, 'encoder.head.weight'), B, head, plan.flat);
  for (let i = n - 1; i >= 0; i--) {
    const s = plan.conv(i, B);
    dy = bnBack(`encoder.bn${i}`, dy);
    const wg = conv2dBackwardWeight(dy, encIn[i], s);
    g[`encoder.conv${i}.weight`] = wg.dw;
    g[`encoder.conv${i}.bias`] = wg.db;
    if (i > 0) dy = conv2dBackwardData(dy, get(t, `encoder.conv${i}.weight`), s);
  }
  return out;
}
