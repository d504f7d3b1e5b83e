// The CNN network part on the GPU (layers in src/parts/network/cnn.ts): encoder x -> h and decoder
// z -> output, each in a training form (batch norm with batch statistics, updating the running
// ones) and an evaluation form (running statistics, nothing written but the activations), and the
// backward of both halves. Activations are NHWC pixel rows (N*H*W, C); the flatten before the head
// and the reshape after the decoder's dense layer are zero-copy views (conv_layout.ts). One-channel
// images go through pad_channels (dense (B, D) rows <-> (B*D, 1) pixels padded to 4 lanes).
// Every layer is planned and checked against the device's limits before the first buffer exists.
import { fail } from '../../errors.ts';
import type { Dispatch, GpuContext } from '../../gpu/context.ts';
import { allocMatrix, ceil4, type GpuMatrix } from '../../gpu/matrix.ts';
import { batchNorm, type BatchNormKernels } from '../../kernels/batchnorm.ts';
import { conv2dLayer, convTranspose2dLayer, type Conv2dLayer } from '../../kernels/conv2d.ts';
import { planConv2d, planConvTranspose2d } from '../../kernels/conv_plan.ts';
import { imagesAsRows, rowsAsPixels } from '../../kernels/conv_layout.ts';
import { gemmDytX, gemmDyW, gemmXWt } from '../../kernels/gemm.ts';
import { padChannels } from '../../kernels/pad_channels.ts';
import type { CnnPlan } from './cnn.ts';

export interface NetworkIo {
  /** the input (B, D), the latent part's head h (B, H) and its gradient, z (B, L) and its gradient */
  x: GpuMatrix; h: GpuMatrix; dh: GpuMatrix; z: GpuMatrix; dz: GpuMatrix;
  /** the decoder's output (B, D) (the likelihood's input) and its gradient */
  out: GpuMatrix; dOut: GpuMatrix;
}

export interface NetworkDispatches {
  encode: Dispatch[];
  encodeEval: Dispatch[];
  decode: Dispatch[];
  decodeEval: Dispatch[];
  /** from dOut: weight gradients of the decoder and dz */
  backwardDecoder: Dispatch[];
  /** from dh: weight gradients of the encoder */
  backwardEncoder: Dispatch[];
}

type Views = (i: number) => { w: GpuMatrix; b: GpuMatrix };

/** Every layer against the device's limits (dispatch sizes, buffer sizes), before any buffer of the
 *  model exists: one clear error naming the layer and the limit. */
export function checkCnnFit(ctx: GpuContext, plan: CnnPlan, B: number, paramBytes: number): void {
  const lim = ctx.device.limits;
  const bind = Math.min(lim.maxBufferSize, lim.maxStorageBufferBindingSize);
  if (paramBytes > bind) fail(`CNN: channels ${plan.net.channels.join(',')} make ${paramBytes} bytes of weights but this device binds at most ${bind}: use fewer channels`);
  plan.net.channels.forEach((_, i) => {
    planConv2d(plan.conv(i, B), lim);
    planConvTranspose2d(plan.convT(i, B), lim);
  });
  const cap = Math.min(lim.maxBufferSize, lim.maxStorageBufferBindingSize);
  for (const l of plan.levels) {
    const bytes = B * l.H * l.W * ceil4(l.C) * 4;
    if (bytes > cap) fail(`CNN: a ${l.H}x${l.W}x${l.C} feature map for a batch of ${B} needs ${bytes} bytes but this device binds at most ${cap}: lower --batch or --channels`);
  }
}

export function buildCnnNetwork(ctx: GpuContext, plan: CnnPlan, B: number, params: Views, grads: Views, io: NetworkIo): NetworkDispatches {
  const { levels, net } = plan;
  const n = net.channels.length;
  const slot = (name: string, kind: string) => {
    const i = plan.slots.findIndex((s) => s.name === name && s.kind === kind);
    if (i < 0) fail(`CNN: no ${kind} slot named ${name}`);
    return i;
  };
  // plan every layer first: a layer that does not fit the device fails here, before any buffer
  const convs: Conv2dLayer[] = Array.from({ length: n }, (_, i) => conv2dLayer(ctx, plan.conv(i, B)));
  const deconvs: Conv2dLayer[] = Array.from({ length: n }, (_, j) => convTranspose2dLayer(ctx, plan.convT(j, B)));
  const leaky = { slope: net.slope };
  const rows = (l: number) => B * levels[l].H * levels[l].W;
  const pixels = (l: number, label: string) => allocMatrix(ctx, rows(l), levels[l].C, label);

  // encoder
  const x4 = levels[0].C % 4 === 0 ? rowsAsPixels(io.x, levels[0].H * levels[0].W, levels[0].C) : pixels(0, 'cnn.x_pixels');
  const padX = x4.buffer === io.x.buffer ? undefined : padChannels(ctx, { dense: io.x, pixels: x4 });
  const encPre: GpuMatrix[] = [], encPost: GpuMatrix[] = [x4], encDPre: GpuMatrix[] = [], encDPost: GpuMatrix[] = [];
  const encBn: BatchNormKernels[] = [];
  for (let i = 0; i < n; i++) {
    encPre.push(pixels(i + 1, `cnn.enc${i}.pre`));
    encPost.push(pixels(i + 1, `cnn.enc${i}.post`));
    encDPre.push(pixels(i + 1, `cnn.enc${i}.d_pre`));
    encDPost.push(pixels(i + 1, `cnn.enc${i}.d_post`));
  }
  for (let i = 0; i < n; i++) {
    const g = params(slot(`encoder.bn${i}`, 'bn')), st = params(slot(`encoder.bn${i}`, 'bnstat')), dg = grads(slot(`encoder.bn${i}`, 'bn'));
    encBn.push(batchNorm(ctx, { name: `encoder.bn${i}`, M: rows(i + 1), C: levels[i + 1].C, eps: net.bnEps, momentum: net.momentum, leaky }, {
      x: encPre[i], gamma: g.w, beta: g.b, runMean: st.w, runVar: st.b, y: encPost[i + 1],
      dy: encDPost[i], dx: encDPre[i], dGamma: dg.w, dBeta: dg.b,
    }));
  }
  const headI = slot('encoder.head', 'dense');
  const flat = imagesAsRows(encPost[n], B), dFlat = imagesAsRows(encDPost[n - 1], B);
  const convFwd = (i: number) => convs[i].forward({ x: encPost[i], ...wb(params(slot(`encoder.conv${i}`, 'conv'))), y: encPre[i] });
  const headFwd = gemmXWt(ctx, { x: flat, w: params(headI).w, b: params(headI).b, y: io.h, relu: false });
  const encoder = (mode: 'train' | 'eval') => [
    ...(padX ? [padX.toPixels] : []),
    ...Array.from({ length: n }, (_, i) => [convFwd(i), ...(mode === 'train' ? encBn[i].trainForward : encBn[i].evalForward)]).flat(),
    headFwd,
  ];
  const backwardEncoder: Dispatch[] = [
    gemmDytX(ctx, { dy: io.dh, x: flat, dw: grads(headI).w, db: grads(headI).b }),
    gemmDyW(ctx, { dy: io.dh, w: params(headI).w, dx: dFlat }),
  ];
  for (let i = n - 1; i >= 0; i--) {
    const ci = slot(`encoder.conv${i}`, 'conv');
    backwardEncoder.push(...encBn[i].backward);
    backwardEncoder.push(...convs[i].backwardWeight({ dy: encDPre[i], x: encPost[i], dw: grads(ci).w, db: grads(ci).b }));
    if (i > 0) backwardEncoder.push(convs[i].backwardData({ dy: encDPre[i], w: params(ci).w, dx: encDPost[i - 1] }));
  }

  // decoder: level n (the dense layer's output, reshaped) up to level 0
  const fcI = slot('decoder.fc', 'dense');
  const d0 = allocMatrix(ctx, B, plan.flat, 'cnn.fc.post'), dd0 = allocMatrix(ctx, B, plan.flat, 'cnn.fc.d_pre');
  const p0 = rowsAsPixels(d0, levels[n].H * levels[n].W, levels[n].C), dp0 = rowsAsPixels(dd0, levels[n].H * levels[n].W, levels[n].C);
  const decIn: GpuMatrix[] = [p0], decPre: GpuMatrix[] = [], decDPre: GpuMatrix[] = [], decDIn: GpuMatrix[] = [dp0];
  const decBn: BatchNormKernels[] = [];
  const outPix = levels[0].C % 4 === 0 ? rowsAsPixels(io.out, levels[0].H * levels[0].W, levels[0].C) : pixels(0, 'cnn.out_pixels');
  const dOutPix = levels[0].C % 4 === 0 ? rowsAsPixels(io.dOut, levels[0].H * levels[0].W, levels[0].C) : pixels(0, 'cnn.d_out_pixels');
  for (let j = 0; j < n; j++) {
    const l = n - j - 1;
    const last = j === n - 1;
    decPre.push(last ? outPix : pixels(l, `cnn.dec${j}.pre`));
    decDPre.push(last ? dOutPix : pixels(l, `cnn.dec${j}.d_pre`));
    if (!last) {
      decIn.push(pixels(l, `cnn.dec${j}.post`));
      decDIn.push(pixels(l, `cnn.dec${j}.d_post`));
      const g = params(slot(`decoder.bn${j}`, 'bn')), st = params(slot(`decoder.bn${j}`, 'bnstat')), dg = grads(slot(`decoder.bn${j}`, 'bn'));
      decBn.push(batchNorm(ctx, { name: `decoder.bn${j}`, M: rows(l), C: levels[l].C, eps: net.bnEps, momentum: net.momentum, leaky }, {
        x: decPre[j], gamma: g.w, beta: g.b, runMean: st.w, runVar: st.b, y: decIn[j + 1],
        dy: decDIn[j + 1], dx: decDPre[j], dGamma: dg.w, dBeta: dg.b,
      }));
    }
  }
  const unpadOut = outPix.buffer === io.out.buffer ? undefined : padChannels(ctx, { dense: io.out, pixels: outPix });
  const padDOut = dOutPix.buffer === io.dOut.buffer ? undefined : padChannels(ctx, { dense: io.dOut, pixels: dOutPix });
  const fcFwd = gemmXWt(ctx, { x: io.z, w: params(fcI).w, b: params(fcI).b, y: d0, relu: true, slope: net.slope });
  const deconvFwd = (j: number) => deconvs[j].forward({ x: decIn[j], ...wb(params(slot(`decoder.deconv${j}`, 'convT'))), y: decPre[j] });
  const decoder = (mode: 'train' | 'eval') => [
    fcFwd,
    ...Array.from({ length: n }, (_, j) => [deconvFwd(j), ...(j < n - 1 ? (mode === 'train' ? decBn[j].trainForward : decBn[j].evalForward) : [])]).flat(),
    ...(unpadOut ? [unpadOut.fromPixels] : []),
  ];
  const backwardDecoder: Dispatch[] = [...(padDOut ? [padDOut.toPixels] : [])];
  for (let j = n - 1; j >= 0; j--) {
    const di = slot(`decoder.deconv${j}`, 'convT');
    if (j < n - 1) backwardDecoder.push(...decBn[j].backward);
    backwardDecoder.push(...deconvs[j].backwardWeight({ dy: decDPre[j], x: decIn[j], dw: grads(di).w, db: grads(di).b }));
    // into the dense layer's output the gradient is masked by its LeakyReLU (the others' by batch norm)
    backwardDecoder.push(deconvs[j].backwardData({ dy: decDPre[j], w: params(di).w, dx: decDIn[j], mask: j === 0 ? { act: p0, slope: net.slope } : undefined }));
  }
  backwardDecoder.push(
    gemmDytX(ctx, { dy: dd0, x: io.z, dw: grads(fcI).w, db: grads(fcI).b }),
    gemmDyW(ctx, { dy: dd0, w: params(fcI).w, dx: io.dz }),
  );
  return { encode: encoder('train'), encodeEval: encoder('eval'), decode: decoder('train'), decodeEval: decoder('eval'), backwardDecoder, backwardEncoder };
}

const wb = (v: { w: GpuMatrix; b: GpuMatrix }) => ({ w: v.w, b: v.b });
