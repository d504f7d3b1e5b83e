// The report's CNN sections (6: conv layers, 7: the CNN VAE's training step), ours vs TF.js with
// the ratio on every row; rendered by report.ts after the MLP sections.
import { fmt, table, versus } from './format.ts';
import { stepComparison } from './report_kernels.ts';
import type { BenchResults } from './results_types.ts';

export function convLayers(r: BenchResults): string {
  const p = r.meta.plan.cnn, tfOk = !r.meta.tf.error;
  const rows = r.conv.map((c) => [c.layer, c.shape, c.pass, fmt(c.gflop), fmt(c.oursMs), fmt(c.oursGflops), fmt(c.tfMs), fmt(c.tfGflops), c.tfMs === undefined ? '' : versus(c.oursMs, c.tfMs), c.relDiff === undefined ? '' : c.relDiff.toExponential(1)]);
  const sum = (f: (c: BenchResults['conv'][number]) => number | undefined) => r.conv.reduce((s, c) => s + (f(c) ?? NaN), 0);
  const flop = sum((c) => c.gflop), ours = sum((c) => c.oursMs), tf = sum((c) => c.tfMs);
  return [
    `## 6. Conv layers of the CNN VAE: every pass of every layer at batch ${p.batch}, ours vs TF.js`,
    `Channels ${p.net.channels.join(', ')}, ${p.net.kernel}x${p.net.kernel} stride ${p.net.stride} pad ${p.net.pad}; shapes from the model's own plan. Wall time to queue completion, best of ${p.convReps} after a warm-up (the sides alternate), same page and adapter. TF.js: forward tf.conv2d / tf.conv2dTranspose, backwardData the other one of the two, backwardWeight conv2DBackpropFilter (what tf.grad runs). GFLOP: 2 per (small pixel, tap, channel pair), border taps included, the same for both sides; ours also adds the bias (forward) and sums its gradient (backwardWeight). Each pass's output was checked against TF.js's before timing (rel. diff = max |ours - TF.js| / max |TF.js|).`,
    tfOk ? '' : `TF.js skipped here: ${r.meta.tf.error}.`,
    table(['layer', 'shape', 'pass', 'GFLOP', 'ours ms', 'ours GFLOP/s', 'TF.js ms', 'TF.js GFLOP/s', 'ratio', 'rel. diff'], rows),
    `All conv passes: ours ${fmt(ours)} ms (${fmt(flop / (ours / 1000))} GFLOP/s)${tfOk ? `, TF.js ${fmt(tf)} ms (${fmt(flop / (tf / 1000))} GFLOP/s): ${versus(ours, tf)}` : ''}.`,
  ].filter(Boolean).join('\n\n');
}

export function cnnStep(r: BenchResults): string {
  const p = r.meta.plan.cnn, k = r.cnnKernels;
  const rows = r.cnn.flatMap((c) => (['ours', 'tf'] as const).flatMap((k) => {
    const s = c[k];
    if (!s) return [];
    return [[c.model, k === 'ours' ? 'ours (WGSL)' : 'TF.js WebGPU', fmt(s.stepMs), fmt(s.imagesPerS), fmt(s.gflops), fmt(s.validMs), s.steps, fmt(s.meanLoss)]];
  }));
  const lines = r.cnn.map((c) => `- **${c.model}**: ours ${fmt(c.ours.stepMs)} ms/step (${fmt(c.ours.imagesPerS)} images/s); ${c.tf ? `TF.js ${fmt(c.tf.stepMs)} ms (${fmt(c.tf.imagesPerS)} images/s): ${versus(c.ours.stepMs, c.tf.stepMs)}` : `TF.js skipped (${r.meta.tf.error})`}`);
  const levels = r.cnn.length ? `${fmt(r.cnn[0].stepGflop)} GFLOP per step` : '';
  return [
    `## 7. CNN VAE training step, ours vs TF.js (batch ${p.batch}, latent ${p.latent}, Adam lr ${p.lr})`,
    `One full training step of the CNN VAE (${p.net.image.height}x${p.net.image.width}x${p.net.image.channels}, channels ${p.net.channels.join(', ')}, ${p.net.kernel}x${p.net.kernel} stride ${p.net.stride}, batch norm, LeakyReLU ${p.net.slope}; ${levels}): ours is the trainer's own dispatch list (gather, noise, forward, backward, loss sums, Adam); TF.js's peer (bench/page/tf_cnn_vae.ts) has the same layers and initial weights (conv2d + batchNorm with batch statistics + leakyRelu, dense head, dense + conv2dTranspose decoder ending at the image's size, Bernoulli loss from logits, Adam) in one tf.tidy around optimizer.minimize. Mean of ${p.steps} timed steps after a warm-up, wall time to queue completion; a validation step runs batch norm from the running statistics. Priors: Gaussian and multivariate t (nu 21). Mean loss: per-row loss over the steps run, a check that both compute the same model (their noise differs).`,
    table(['model', 'implementation', 'ms/step', 'images/s', 'GFLOP/s', 'valid ms/step', 'steps timed', 'mean loss'], rows),
    lines.join('\n'),
    k ? `Ours with the tuned kernels (conv families included: section 7 runs them) against every kernel family forced to \`base\` (the original kernels), Gaussian, in one run, ${stepComparison(k, p.steps)} (${k.kernels}).` : '',
  ].filter(Boolean).join('\n\n');
}
