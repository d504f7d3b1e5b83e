// The convolutional network part (the course project's CNN VAE): its configuration, the geometry of
// every layer, where each tensor lives in the one parameter block, and the mapping between that
// block and named tensors in PyTorch's layouts (what safetensors holds, and what the float64 model
// src/ref/cnn_vae.ts computes with).
//   encoder: for each c in channels: Conv2d(k, stride, pad) -> BatchNorm -> LeakyReLU;
//            flatten -> dense to the latent part's head ([mu | logvar | ...])
//   decoder: dense latent -> the encoder's last feature map, LeakyReLU; then transposed convs that
//            mirror the encoder's convs level by level, BatchNorm + LeakyReLU on all but the last,
//            whose output (one value per pixel and image channel) is the likelihood's input.
// Transposed convs (not upsampling + conv) because they are the exact adjoint of the encoder's
// convs, so one set of conv kernels serves both halves (src/kernels/conv2d.ts); the output padding
// of each level is solved from the encoder's sizes, so 28x28 comes back exactly 28x28.
// The batch-norm running statistics sit in the parameter block too, in slots of their own: they get
// no gradient (the gradient block stays 0 there), so SGD and Adam leave them as the batch-norm
// kernel writes them, and every path that saves, restores or ships the block (checkpoints, resume,
// the NaN rollback, the page's worker) carries them without a second buffer to forget.
import { fail } from '../../errors.ts';
import { ceil4 } from '../../gpu/matrix.ts';
import type { LayerSpec } from '../../model/param_layout.ts';
import { convOutputSize, convTransposeOutputSize, type Conv2dShape, type ConvT2dShape } from '../../kernels/conv_shape.ts';

export interface CnnNet {
  kind: 'cnn';
  /** the input images: the model's input is height*width*channels values per image */
  image: { height: number; width: number; channels: number };
  /** output channels of the encoder's convs, in order (the decoder mirrors them); multiples of 4 */
  channels: number[];
  /** square kernel size, stride and zero padding of every conv */
  kernel: number;
  stride: number;
  pad: number;
  /** LeakyReLU negative slope */
  slope: number;
  /** batch norm: PyTorch's momentum convention and eps */
  momentum: number;
  bnEps: number;
}

/** The default CNN: 3 convs of 3x3, stride 2, pad 1 with 32/64/128 channels (28 -> 14 -> 7 -> 4),
 *  LeakyReLU 0.3 (Keras' default: the project's layers are named as Keras' are, Conv2D, and it gives no slope), batch norm as PyTorch's. */
export function defaultCnn(image: CnnNet['image'] = { height: 28, width: 28, channels: 1 }): CnnNet {
  return { kind: 'cnn', image, channels: [32, 64, 128], kernel: 3, stride: 2, pad: 1, slope: 0.3, momentum: 0.1, bnEps: 1e-5 };
}

export type SlotKind = 'conv' | 'bn' | 'bnstat' | 'dense' | 'convT';

/** One slot of the parameter block: a LayerSpec (w rows x cols, b length) with its name and role. */
export interface CnnSlot {
  name: string;
  kind: SlotKind;
  spec: LayerSpec;
  /** conv/convT: channels (cin -> cout) and kernel; bn/bnstat: C = channels; dense: out x in */
  cin: number;
  cout: number;
}

export interface CnnLevel {
  /** channels and spatial size of a feature map; level 0 is the input image */
  C: number; H: number; W: number;
}

export interface CnnPlan {
  net: CnnNet;
  levels: CnnLevel[];
  /** the flattened last feature map: H*W*C values per image */
  flat: number;
  slots: CnnSlot[];
  /** per encoder conv i (level i -> i+1), for a batch of N */
  conv(i: number, N: number): Conv2dShape;
  /** per decoder transposed conv j (level L-j -> L-j-1), for a batch of N */
  convT(j: number, N: number): ConvT2dShape;
  /** output padding of decoder conv j, solved so its output is the mirrored level's size */
  outputPadding: number[];
}

const posInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** Checks a CNN configuration against the input size and the latent head; one clear error. */
export function validateCnn(net: CnnNet, D: number): void {
  const { image: im } = net;
  if (!im || !posInt(im.height) || !posInt(im.width) || !posInt(im.channels)) fail(`CNN: image size must be positive integers, got ${JSON.stringify(im)}`);
  if (im.height * im.width * im.channels !== D) fail(`CNN: images of ${im.height}x${im.width}x${im.channels} hold ${im.height * im.width * im.channels} values but the data have ${D} per item; the CNN needs square-pixel images of the size it was built for`);
  if (!Array.isArray(net.channels) || net.channels.length < 1) fail(`CNN: channels must be a non-empty list, got ${JSON.stringify(net.channels)}`);
  net.channels.forEach((c, i) => {
    if (!posInt(c) || c % 4 !== 0) fail(`CNN: channels[${i}] must be a positive multiple of 4 (the kernels move 4 channels at a time and the flatten is a zero-copy view), got ${c}`);
  });
  if (!posInt(net.kernel)) fail(`CNN: kernel must be a positive integer, got ${net.kernel}`);
  if (!posInt(net.stride) || net.stride > 2) fail(`CNN: stride must be 1 or 2, got ${net.stride}`);
  if (!Number.isInteger(net.pad) || net.pad < 0 || net.pad >= net.kernel) fail(`CNN: pad must be an integer in [0, kernel), got ${net.pad}`);
  // a kernel wider than the image sees mostly its zero padding (and its weights, k*k per channel
  // pair, outgrow any device): the size that is wrong is the kernel's, whatever the channels
  const side = Math.min(im.height, im.width);
  if (net.kernel > side) fail(`CNN: kernel ${net.kernel}x${net.kernel} (--kernel) is larger than the ${im.height}x${im.width} input images (padded by ${net.pad} to ${im.height + 2 * net.pad}x${im.width + 2 * net.pad}): each window would be mostly zero padding; use a kernel of at most ${side}`);
  if (!(Number.isFinite(net.slope) && net.slope >= 0 && net.slope < 1)) fail(`CNN: LeakyReLU slope must be in [0, 1), got ${net.slope}`);
  if (!(net.momentum >= 0 && net.momentum <= 1)) fail(`CNN: batch-norm momentum must be in [0, 1], got ${net.momentum}`);
  if (!(Number.isFinite(net.bnEps) && net.bnEps > 0)) fail(`CNN: batch-norm eps must be > 0, got ${net.bnEps}`);
}

/** Every layer's geometry and parameter slot for this network, latent size and head width. */
export function cnnPlan(net: CnnNet, D: number, latent: number, head: number): CnnPlan {
  validateCnn(net, D);
  const { kernel: k, stride: s, pad: p } = net;
  const levels: CnnLevel[] = [{ C: net.image.channels, H: net.image.height, W: net.image.width }];
  for (const c of net.channels) {
    const prev = levels[levels.length - 1];
    const H = convOutputSize(prev.H, k, s, p), W = convOutputSize(prev.W, k, s, p);
    if (H < 1 || W < 1) fail(`CNN: ${net.channels.length} convs of ${k}x${k}, stride ${s}, pad ${p} shrink ${net.image.height}x${net.image.width} to nothing (${H}x${W} at conv ${levels.length}); use fewer channels entries or a smaller kernel`);
    levels.push({ C: c, H, W });
  }
  const n = net.channels.length;
  const last = levels[n];
  const flat = last.H * last.W * last.C;
  // the decoder's conv j maps level n-j to level n-j-1; its output padding makes the size exact
  const outputPadding = Array.from({ length: n }, (_, j) => {
    const from = levels[n - j], to = levels[n - j - 1];
    const oh = to.H - convTransposeOutputSize(from.H, k, s, p, 0), ow = to.W - convTransposeOutputSize(from.W, k, s, p, 0);
    if (oh !== ow || oh < 0 || oh >= s) fail(`CNN: a transposed conv of ${k}x${k}, stride ${s}, pad ${p} cannot map ${from.H}x${from.W} back to exactly ${to.H}x${to.W} (it would need output padding ${oh}x${ow}, allowed 0..${s - 1}); choose another kernel or pad`);
    return oh;
  });
  const slots: CnnSlot[] = [];
  const conv = (name: string, kind: 'conv' | 'convT', cin: number, cout: number) => {
    // a conv weight is (Cout, k*k*ceil4(Cin)); a transposed conv's (Cin, k*k*ceil4(Cout)), bias Cout
    const spec: LayerSpec = kind === 'conv'
      ? { out: cout, in: k * k * ceil4(cin), relu: false }
      : { out: cin, in: k * k * ceil4(cout), relu: false, bias: cout };
    slots.push({ name, kind, spec, cin, cout });
  };
  const bn = (name: string, C: number) => {
    slots.push({ name, kind: 'bn', spec: { out: 1, in: C, relu: false, bias: C }, cin: C, cout: C });
    slots.push({ name, kind: 'bnstat', spec: { out: 1, in: C, relu: false, bias: C }, cin: C, cout: C });
  };
  for (let i = 0; i < n; i++) {
    conv(`encoder.conv${i}`, 'conv', levels[i].C, levels[i + 1].C);
    bn(`encoder.bn${i}`, levels[i + 1].C);
  }
  slots.push({ name: 'encoder.head', kind: 'dense', spec: { out: head, in: flat, relu: false }, cin: flat, cout: head });
  slots.push({ name: 'decoder.fc', kind: 'dense', spec: { out: flat, in: latent, relu: true }, cin: latent, cout: flat });
  for (let j = 0; j < n; j++) {
    conv(`decoder.deconv${j}`, 'convT', levels[n - j].C, levels[n - j - 1].C);
    if (j < n - 1) bn(`decoder.bn${j}`, levels[n - j - 1].C);
  }
  return {
    net, levels, flat, slots, outputPadding,
    conv: (i, N) => ({ N, Cin: levels[i].C, H: levels[i].H, W: levels[i].W, Cout: levels[i + 1].C, KH: k, KW: k, stride: s, pad: p }),
    convT: (j, N) => ({
      N, Cin: levels[n - j].C, H: levels[n - j].H, W: levels[n - j].W, Cout: levels[n - j - 1].C,
      KH: k, KW: k, stride: s, pad: p, outputPadding: outputPadding[j],
    }),
  };
}

/** Batch norm's statistics over a batch need at least 2 values per channel (N*H*W): with 1 the
 *  running variance divides by N*H*W - 1 = 0 (PyTorch refuses it too). Checked with the options,
 *  before any folder, browser or buffer; one line naming the layer and its count. */
export function checkBatchNormCounts(plan: CnnPlan, batch: number): void {
  const n = plan.net.channels.length;
  const layers = [
    ...Array.from({ length: n }, (_, i) => ({ name: `encoder.bn${i}`, level: plan.levels[i + 1] })),
    ...Array.from({ length: n - 1 }, (_, j) => ({ name: `decoder.bn${j}`, level: plan.levels[n - j - 1] })),
  ];
  for (const { name, level } of layers) {
    const count = batch * level.H * level.W;
    if (count < 2) fail(`batch norm ${name} would normalise ${count} value per channel (batch ${batch} x ${level.H}x${level.W}); it needs at least 2: raise --batch or use fewer --channels entries`);
  }
}

/** One line for logs: the layers and their sizes. */
export function describeCnn(plan: CnnPlan): string {
  const { net, levels } = plan;
  const sizes = levels.map((l) => `${l.H}x${l.W}x${l.C}`).join(' -> ');
  return `CNN ${sizes} (${net.kernel}x${net.kernel} stride ${net.stride} pad ${net.pad}, batch norm, LeakyReLU ${net.slope}), decoder mirrored by transposed convs`;
}
