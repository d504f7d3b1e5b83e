// The MLP network part on the GPU (the default network; the CNN is cnn_gpu.ts beside it): dense
// layers of modelLayers(config), ReLU/LeakyReLU between them, with the dispatches of the forward
// and backward passes. Its input is the model's x buffer as it is: (B, D) images, [x | onehot]
// for a conditional VAE (concatenated here), or a table's rows of [x | mask] (B, 2D, the mask
// being part of the data rows: shape.masked), so the encoder sees which cells are observed.
// Buffers: acts[i] the layers' outputs, h (B, H) = the encoder head, the last one the decoder
// output (B, D_out); d* their gradients.
import type { Dispatch, GpuContext } from '../../gpu/context.ts';
import { allocMatrix, type GpuMatrix } from '../../gpu/matrix.ts';
import { gemmDytX, gemmDyW, gemmXWt } from '../../kernels/gemm.ts';
import { concatOnehot } from '../../kernels/concat_onehot.ts';
import type { LayerSpec } from '../../model/param_layout.ts';
import type { NetworkDispatches } from './cnn_gpu.ts';

type Views = (i: number) => { w: GpuMatrix; b: GpuMatrix };

export interface MlpIo {
  /** the model's input (B, encoder[0]) */
  x: GpuMatrix;
  /** the latent draw (B, L) and its gradient */
  z: GpuMatrix;
  dz: GpuMatrix;
  /** conditional VAE: the batch's labels and the number of classes (0: none) */
  labels?: GPUBuffer;
  classes: number;
}

export function buildMlpNetwork(
  ctx: GpuContext, specs: readonly LayerSpec[], nEnc: number, B: number, slope: number, params: Views, grads: Views, io: MlpIo,
): { h: GpuMatrix; dh: GpuMatrix; out: GpuMatrix; dOut: GpuMatrix; net: NetworkDispatches } {
  const { x, z, dz, labels } = io, C = io.classes;
  const D = x.cols, L = z.cols;
  const xIn = C ? allocMatrix(ctx, B, D + C, 'x_onehot') : x;
  const outs = specs.map((s, i) => allocMatrix(ctx, B, s.out, i === nEnc - 1 ? 'h' : i === specs.length - 1 ? 'logits' : `act${i}`));
  const douts = specs.map((s, i) => allocMatrix(ctx, B, s.out, `d_act${i}`));
  const zIn = C ? allocMatrix(ctx, B, L + C, 'z_onehot') : z;
  const dzIn = C ? allocMatrix(ctx, B, L + C, 'd_z_onehot') : dz;
  const ins = specs.map((_, i) => (i === 0 ? xIn : i === nEnc ? zIn : outs[i - 1]));
  const dins = specs.map((_, i) => (i === nEnc ? dzIn : douts[i - 1]));
  const concatX = C ? concatOnehot(ctx, { src: x, labels: labels!, classes: C, dst: xIn }) : undefined;
  const concatZ = C ? concatOnehot(ctx, { src: z, labels: labels!, classes: C, dst: zIn, ddst: dzIn, dsrc: dz }) : undefined;
  const layerForward = (i: number) => gemmXWt(ctx, { x: ins[i], w: params(i).w, b: params(i).b, y: outs[i], relu: specs[i].relu, slope });
  const layerBackward = (i: number): Dispatch[] => {
    const wgrad = gemmDytX(ctx, { dy: douts[i], x: ins[i], dw: grads(i).w, db: grads(i).b });
    if (i === 0) return [wgrad]; // no gradient for the data
    // the input of layer i came out of a ReLU unless it is z
    const act = i === nEnc ? undefined : ins[i];
    return [wgrad, gemmDyW(ctx, { dy: douts[i], w: params(i).w, dx: dins[i], act, slope })];
  };
  const idx = specs.map((_, i) => i);
  const encode = [...(concatX ? [concatX.forward] : []), ...idx.slice(0, nEnc).map(layerForward)];
  const decode = [...(concatZ ? [concatZ.forward] : []), ...idx.slice(nEnc).map(layerForward)];
  const net: NetworkDispatches = {
    encode, encodeEval: encode, decode, decodeEval: decode,
    backwardDecoder: [...idx.slice(nEnc).reverse().flatMap(layerBackward), ...(concatZ ? [concatZ.backward!] : [])],
    backwardEncoder: idx.slice(0, nEnc).reverse().flatMap(layerBackward),
  };
  return { h: outs[nEnc - 1], dh: douts[nEnc - 1], out: outs[specs.length - 1], dOut: douts[specs.length - 1], net };
}
