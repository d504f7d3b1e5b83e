// The TensorFlow.js peer of the CNN VAE: the same network and training step in TF.js's own idiom,
// timed against ours (section 7) on the same adapter. Same layers as src/parts/network/cnn_gpu.ts:
//   encoder: per level tf.fused.conv2d (+bias) -> tf.batchNorm with the batch's statistics (the
//            running ones updated with PyTorch's momentum and unbiased variance) -> tf.leakyRelu;
//            flatten (h, w, c) -> dense head [mu | logvar]
//   decoder: dense latent -> last feature map with LeakyReLU (tf.fused.matMul), then per level
//            tf.conv2dTranspose (+bias, output size = the mirrored encoder level's) -> batch norm ->
//            LeakyReLU, the last giving one logit per pixel
// the same initial weights as ours (our block, converted), the same batch, Adam, Bernoulli loss
// from logits and KL (closed form for the Gaussian prior; the multivariate t's one-sample KL).
// Validation runs batch norm from the running statistics, as ours does. Fast in its idiom: the data
// set lives on the GPU, a step is one tf.tidy around optimizer.minimize, nothing is read back per
// step; its noise comes from tf.randomNormal / tf.randomGamma (CPU draws, uploaded per step).
import { fail } from '../../src/errors.ts';
import { weightFromGpu } from '../../src/kernels/conv_layout.ts';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import { unpackParams } from '../../src/model/param_layout.ts';
import { modelLayout, modelPlan } from '../../src/parts/model.ts';
import { cnnBlock, initCnnTensors } from '../../src/parts/network/cnn_tensors.ts';
import { createRng } from '../../src/rng.ts';
import { tfFilter } from './tf_layout.ts';
import { tf } from './tf_setup.ts';
import type { TfVae } from './tf_vae.ts';

type Mode = 'train' | 'eval';

export function buildTfCnnVae(config: VaeConfig, images: Float32Array, count: number): TfVae {
  const plan = modelPlan(config) ?? fail('buildTfCnnVae: the configuration is not a CNN');
  const { net, levels } = plan;
  const { batch: B, prior } = config;
  const L = config.shape.latent, D = config.shape.encoder[0], n = net.channels.length, k = net.kernel;
  if (config.likelihood && config.likelihood.kind !== 'bernoulli') fail('buildTfCnnVae: only the Bernoulli likelihood is built');
  if (config.optimizer.kind !== 'adam') fail('buildTfCnnVae: the CNN bench trains with Adam');
  // our initial block (the draws writeInitialWeights makes), slot by slot in TF.js's layouts
  const layout = modelLayout(config);
  const r = createRng(config.seed);
  const values = unpackParams(layout, cnnBlock(plan, layout, initCnnTensors(plan, () => r.normal()), new Float64Array(layout.extra?.count ?? 0)));
  const vars: tf.Variable[] = [];
  const variable = (t: tf.Tensor, trainable: boolean, name: string) => { const v = tf.variable(t, trainable, name); vars.push(v); return v; };
  const slot = (name: string, kind: string) => {
    const i = plan.slots.findIndex((s) => s.name === name && s.kind === kind);
    if (i < 0) fail(`buildTfCnnVae: no ${kind} slot ${name}`);
    return { s: plan.slots[i], v: values[i] };
  };
  const convVars = (name: string, kind: 'conv' | 'convT') => {
    const { s, v } = slot(name, kind);
    const [R, C] = kind === 'conv' ? [s.cout, s.cin] : [s.cin, s.cout];
    const filter = tfFilter(weightFromGpu(v.w, R, C, k, k), R, C, k, k);
    return { w: variable(tf.tensor4d(filter, [k, k, C, R]), true, `${name}.w`) as tf.Variable<tf.Rank.R4>, b: variable(tf.tensor1d(v.b), true, `${name}.b`) };
  };
  const denseVars = (name: string) => {
    const { s, v } = slot(name, 'dense');
    // ours is (out, in) for x·Wᵀ; TF.js multiplies x·W with W (in, out)
    return { w: variable(tf.transpose(tf.tensor2d(v.w, [s.cout, s.cin])), true, `${name}.w`) as tf.Variable<tf.Rank.R2>, b: variable(tf.tensor1d(v.b), true, `${name}.b`) };
  };
  const bnVars = (name: string) => {
    const g = slot(name, 'bn').v, st = slot(name, 'bnstat').v;
    return {
      gamma: variable(tf.tensor1d(g.w), true, `${name}.gamma`), beta: variable(tf.tensor1d(g.b), true, `${name}.beta`),
      mean: variable(tf.tensor1d(st.w), false, `${name}.running_mean`), var: variable(tf.tensor1d(st.b), false, `${name}.running_var`),
    };
  };
  const enc = Array.from({ length: n }, (_, i) => ({ ...convVars(`encoder.conv${i}`, 'conv'), bn: bnVars(`encoder.bn${i}`) }));
  const head = denseVars('encoder.head'), fc = denseVars('decoder.fc');
  const dec = Array.from({ length: n }, (_, j) => ({ ...convVars(`decoder.deconv${j}`, 'convT'), bn: j < n - 1 ? bnVars(`decoder.bn${j}`) : undefined }));

  const data = tf.tensor2d(images, [count, D]);
  const order = tf.range(0, count, 1, 'int32');
  const trainSum = tf.variable(tf.scalar(0), false, 'train_loss_sum');
  const o = config.optimizer;
  const optimizer = tf.train.adam(o.lr, o.beta1 ?? 0.9, o.beta2 ?? 0.999, o.eps ?? 1e-8);
  const st: [number, number] = [net.stride, net.stride];

  /** the batch statistics of a training forward, kept to move the running statistics after the
   *  gradient is taken: assigning a variable inside optimizer.minimize's taped function swaps its
   *  data under the tape, and the backward then met a disposed tensor now and again */
  const pending: { v: ReturnType<typeof bnVars>; mean: tf.Tensor; variance: tf.Tensor; M: number }[] = [];
  /** batch norm + LeakyReLU */
  const bnLeaky = (x: tf.Tensor4D, v: ReturnType<typeof bnVars>, mode: Mode): tf.Tensor4D => {
    let y: tf.Tensor4D;
    if (mode === 'train') {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      pending.push({ v, mean: tf.keep(mean), variance: tf.keep(variance), M: x.shape[0] * x.shape[1] * x.shape[2] });
      y = tf.batchNorm4d(x, mean as tf.Tensor1D, variance as tf.Tensor1D, v.beta as tf.Tensor1D, v.gamma as tf.Tensor1D, net.bnEps);
    } else y = tf.batchNorm4d(x, v.mean as tf.Tensor1D, v.var as tf.Tensor1D, v.beta as tf.Tensor1D, v.gamma as tf.Tensor1D, net.bnEps);
    return tf.leakyRelu(y, net.slope);
  };
  /** running = (1 - m) running + m batch, the variance unbiased (PyTorch's convention, as ours) */
  const updateRunning = () => {
    const m = net.momentum;
    for (const p of pending.splice(0)) {
      p.v.mean.assign(tf.add(tf.mul(p.v.mean, 1 - m), tf.mul(p.mean, m)));
      p.v.var.assign(tf.add(tf.mul(p.v.var, 1 - m), tf.mul(p.variance, (m * p.M) / (p.M - 1))));
      tf.dispose([p.mean, p.variance]);
    }
  };

  const encode = (x: tf.Tensor2D, mode: Mode): tf.Tensor2D => {
    let a = tf.reshape(x, [B, levels[0].H, levels[0].W, levels[0].C]) as tf.Tensor4D;
    for (let i = 0; i < n; i++) a = bnLeaky(tf.fused.conv2d({ x: a, filter: enc[i].w, strides: st, pad: net.pad, bias: enc[i].b }), enc[i].bn, mode);
    return tf.fused.matMul({ a: tf.reshape(a, [B, plan.flat]), b: head.w, bias: head.b }) as tf.Tensor2D;
  };

  const decode = (z: tf.Tensor2D, mode: Mode): tf.Tensor2D => {
    const top = levels[n];
    const f = tf.fused.matMul({ a: z, b: fc.w, bias: fc.b, activation: 'leakyrelu', leakyreluAlpha: net.slope });
    let a = tf.reshape(f, [B, top.H, top.W, top.C]) as tf.Tensor4D;
    for (let j = 0; j < n; j++) {
      const to = levels[n - j - 1];
      a = tf.add(tf.conv2dTranspose(a, dec[j].w, [B, to.H, to.W, to.C], st, net.pad), dec[j].b);
      const bn = dec[j].bn;
      if (bn) a = bnLeaky(a, bn, mode);
    }
    // the peer is only a peer if it ends where ours does: one logit per pixel of the input image
    const im = net.image;
    if (a.shape[1] !== im.height || a.shape[2] !== im.width || a.shape[3] !== im.channels) fail(`buildTfCnnVae: the decoder ends at ${a.shape.slice(1).join('x')}, not the image's ${im.height}x${im.width}x${im.channels}`);
    return tf.reshape(a, [B, D]) as tf.Tensor2D;
  };

  const noise = (s: number): tf.Tensor2D => {
    const e = tf.randomNormal([B, L], 0, 1, 'float32', config.seed * 100_003 + s) as tf.Tensor2D;
    if (prior.kind === 'gaussian') return e;
    // multivariate t: one chi2(nu)/nu per latent vector, 2 Gamma(nu/2, 1)/nu
    const g = tf.randomGamma([B, 1], prior.nu / 2, 1, 'float32', config.seed * 100_019 + s);
    return tf.div(e, tf.sqrt(tf.div(g, prior.nu / 2))) as tf.Tensor2D;
  };

  /** mean over the batch of RE + KL, as the GPU model computes it */
  const loss = (x: tf.Tensor2D, eps: tf.Tensor2D, mode: Mode): tf.Scalar => {
    const [mu, logvar] = tf.split(encode(x, mode), 2, 1);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps)) as tf.Tensor2D;
    let kl: tf.Tensor;
    if (prior.kind === 'gaussian') kl = tf.mul(tf.sum(tf.sub(tf.add(logvar, 1), tf.add(tf.square(mu), tf.exp(logvar))), 1), -0.5);
    else {
      const aL = (prior.nu + L) / 2;
      const radial = (v: tf.Tensor) => tf.log1p(tf.div(tf.sum(tf.square(v), 1), prior.nu));
      kl = tf.add(tf.mul(tf.sum(logvar, 1), -0.5), tf.mul(tf.sub(radial(z), radial(eps)), aL));
    }
    const logits = decode(z, mode);
    // Bernoulli loss from logits l: max(l, 0) - x l + log1p(exp(-|l|))
    const re = tf.sum(tf.add(tf.sub(tf.relu(logits), tf.mul(x, logits)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))), 1);
    return tf.mean(tf.add(re, kl));
  };

  const batchOf = (s: number): tf.Tensor2D => tf.gather(data, tf.slice(order, [(s * B) % count], [B])) as tf.Tensor2D;
  const trainable = vars.filter((v) => v.trainable);

  return {
    trainStep(s) {
      tf.tidy(() => {
        const x = batchOf(s), eps = noise(s);
        const cost = optimizer.minimize(() => loss(x, eps, 'train'), true, trainable);
        updateRunning();
        if (cost) trainSum.assign(tf.add(trainSum, cost));
      });
    },
    validStep(s) {
      tf.tidy(() => {
        loss(batchOf(s), noise(s), 'eval');
      });
    },
    async lossSum() {
      return (await trainSum.data())[0];
    },
    dispose() {
      tf.dispose([...vars, data, order, trainSum]);
      optimizer.dispose();
    },
  };
}
