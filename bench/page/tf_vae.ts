// The TensorFlow.js peer: the same VAE and training step written in TF.js's own idiom, to be
// timed against ours on the same adapter. Same architecture (dense layers, ReLU, [mu | logvar]),
// same initial weights, batch, SGD, Bernoulli loss from logits and KL (analytic for the Gaussian
// prior; the t prior's one-sample KL in tf ops, differentiated by TF.js's autodiff). Fast in its
// idiom: the data set lives on the GPU as a tensor, every step is one tf.tidy around the
// optimizer's minimize, losses accumulate in a variable, nothing is read back per step.
// The noise is drawn by tf.randomNormal / tf.randomGamma, which TF.js computes on the CPU and
// uploads (B x L floats per step): that is how TF.js samples, so it is part of its step.
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import { initParams, layerShapes } from '../../src/ref/vae.ts';
import { createRng } from '../../src/rng.ts';
import { tf } from './tf_setup.ts';

export interface TfVae {
  /** one training step on batch `s` of the data set */
  trainStep(s: number): void;
  /** one validation step (loss only) on batch `s` */
  validStep(s: number): void;
  /** the sum of the batch-mean training losses of every step (read once, at the end) */
  lossSum(): Promise<number>;
  dispose(): void;
}

export function buildTfVae(config: VaeConfig, images: Float32Array, count: number): TfVae {
  const { shape, batch: B, prior } = config;
  const D = shape.encoder[0], L = shape.latent, nEnc = shape.encoder.length;
  const specs = layerShapes(shape);
  const r = createRng(config.seed);
  // the same draws as the trainer's initialization; TF.js keeps W as (in, out) for x·W
  const init = initParams(shape, () => r.normal(), 0.1);
  const ws = init.map((p, i) => tf.variable(tf.transpose(tf.tensor2d(Float32Array.from(p.w), [p.out, p.in])), true, `w${i}`));
  const bs = init.map((p, i) => tf.variable(tf.tensor1d(Float32Array.from(p.b)), true, `b${i}`));
  const data = tf.tensor2d(images, [count, D]);
  const order = tf.range(0, count, 1, 'int32');
  const trainSum = tf.variable(tf.scalar(0), false, 'train_loss_sum');
  const optimizer = tf.train.sgd(config.optimizer.lr);
  const a = prior.kind === 't' ? (prior.nu + 1) / 2 : 0;

  const dense = (x: tf.Tensor2D, i: number): tf.Tensor2D =>
    tf.fused.matMul({ a: x, b: ws[i] as tf.Tensor2D, bias: bs[i], activation: specs[i].relu ? 'relu' : 'linear' }) as tf.Tensor2D;

  const noise = (s: number): tf.Tensor2D => {
    const n = tf.randomNormal([B, L], 0, 1, 'float32', config.seed * 100_003 + s) as tf.Tensor2D;
    if (prior.kind === 'gaussian') return n;
    const g = tf.randomGamma([B, L], prior.nu / 2, 1, 'float32', config.seed * 100_019 + s);
    return tf.div(n, tf.sqrt(tf.div(g, prior.nu / 2))) as tf.Tensor2D;
  };

  /** mean over the batch of RE + KL, as the GPU model computes it */
  const loss = (x: tf.Tensor2D, eps: tf.Tensor2D): tf.Scalar => {
    let act = x;
    for (let i = 0; i < nEnc; i++) act = dense(act, i);
    const [mu, logvar] = tf.split(act, 2, 1);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps));
    const kl = prior.kind === 'gaussian'
      ? tf.mul(tf.sum(tf.sub(tf.add(logvar, 1), tf.add(tf.square(mu), tf.exp(logvar))), 1), -0.5)
      : tf.sum(tf.add(tf.sub(tf.mul(logvar, -0.5), tf.mul(tf.log1p(tf.div(tf.square(eps), prior.nu)), a)), tf.mul(tf.log1p(tf.div(tf.square(z), prior.nu)), a)), 1);
    act = z as tf.Tensor2D;
    for (let i = nEnc; i < specs.length; i++) act = dense(act, i);
    // Bernoulli loss from logits l: max(l, 0) - x l + log1p(exp(-|l|))
    const re = tf.sum(tf.add(tf.sub(tf.relu(act), tf.mul(x, act)), tf.log1p(tf.exp(tf.neg(tf.abs(act))))), 1);
    return tf.mean(tf.add(re, kl));
  };

  const batchOf = (s: number): tf.Tensor2D => tf.gather(data, tf.slice(order, [(s * B) % count], [B])) as tf.Tensor2D;

  return {
    trainStep(s) {
      tf.tidy(() => {
        const x = batchOf(s), eps = noise(s);
        const cost = optimizer.minimize(() => loss(x, eps), true);
        if (cost) trainSum.assign(tf.add(trainSum, cost));
      });
    },
    validStep(s) {
      tf.tidy(() => {
        loss(batchOf(s), noise(s));
      });
    },
    async lossSum() {
      return (await trainSum.data())[0];
    },
    dispose() {
      tf.dispose([...ws, ...bs, data, order, trainSum]);
      optimizer.dispose();
    },
  };
}
