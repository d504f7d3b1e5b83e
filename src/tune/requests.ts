// The (family, shape) pairs a model's training and evaluation launch, read from its configuration
// the way src/model/vae_gpu.ts builds them, so the tuner can run before the model is built.
// kernelRequests covers both networks: the MLP's GEMMs, and the CNN's conv passes, its dense head
// and first decoder layer, and the GEMMs of the conv families' im2col variants (listed before the
// convs, so a conv pass is timed with its GEMM already tuned).
import { CONV_BWD_DATA, CONV_BWD_WEIGHT, CONV_FWD } from '../kernels/conv_family.ts';
import { convOutputSize, convTransposeOutputSize } from '../kernels/conv_shape.ts';
import { ceil4 } from '../gpu/matrix.ts';
import { GEMM_DYTX, GEMM_DYW, GEMM_XWT } from '../kernels/gemm.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { modelLayers, modelPlan } from '../parts/model.ts';
import type { Family, KernelShape } from './family.ts';
import type { TuneRequest } from './measure.ts';

const req = <A>(family: Family<A>, M: number, N: number, K: number): TuneRequest => ({ family: family as unknown as Family<unknown>, shape: { M, N, K } });
const convReq = <A>(family: Family<A, KernelShape>, dims: number[]): TuneRequest => ({ family: family as unknown as Family<unknown, KernelShape>, shape: { dims } });

export function gemmRequests(config: VaeConfig): TuneRequest[] {
  if (config.net) return [];
  const B = config.batch;
  return modelLayers(config).flatMap((s, i) => [
    req(GEMM_XWT, B, s.out, s.in),
    req(GEMM_DYTX, B, s.out, s.in),
    // layer 0's input is the data, which gets no gradient; the decoder's first input is z
    ...(i === 0 ? [] : [req(GEMM_DYW, B, s.out, s.in)]),
  ]);
}

/** Every tunable launch of the model's training step (src/parts/network/cnn_gpu.ts for a CNN), or
 *  with `forwardOnly` those of its forward pass alone (evaluation). */
export function kernelRequests(config: VaeConfig, forwardOnly = false): TuneRequest[] {
  const plan = modelPlan(config);
  if (!plan) return gemmRequests(config).filter((r) => !forwardOnly || r.family.name === GEMM_XWT.name);
  const B = config.batch;
  const head = plan.slots.find((s) => s.name === 'encoder.head')!.spec, fc = plan.slots.find((s) => s.name === 'decoder.fc')!.spec;
  const dense = [head, fc].flatMap((s) => [req(GEMM_XWT, B, s.out, s.in), ...(forwardOnly ? [] : [req(GEMM_DYTX, B, s.out, s.in), req(GEMM_DYW, B, s.out, s.in)])]);
  // a pass's key (conv_family.ts CONV_DIMS): N, big (H, W, C), small (H, W, C), KH, KW, stride, pad
  const gemms: TuneRequest[] = [], convs: TuneRequest[] = [];
  const pass = (family: Family<unknown, KernelShape>, gemm: Family<unknown>, d: number[], forward = false) => {
    if (forwardOnly && !forward) return;
    const [N, , , Cb, Hs, Ws, Cs, KH, KW] = d;
    gemms.push(req(gemm, N * Hs * Ws, Cs, KH * KW * ceil4(Cb)));
    convs.push(convReq(family, d));
  };
  const fam = <A>(f: Family<A, KernelShape>) => f as unknown as Family<unknown, KernelShape>;
  const gem = <A>(f: Family<A>) => f as unknown as Family<unknown>;
  plan.net.channels.forEach((_, i) => {
    const c = plan.conv(i, B);
    const d = [B, c.H, c.W, c.Cin, convOutputSize(c.H, c.KH, c.stride, c.pad), convOutputSize(c.W, c.KW, c.stride, c.pad), c.Cout, c.KH, c.KW, c.stride, c.pad];
    pass(fam(CONV_FWD), gem(GEMM_XWT), d, true);
    pass(fam(CONV_BWD_WEIGHT), gem(GEMM_DYTX), d);
    if (i > 0) pass(fam(CONV_BWD_DATA), gem(GEMM_DYW), d); // the first conv's input is the data
    const t = plan.convT(i, B);
    const dt = [B, convTransposeOutputSize(t.H, t.KH, t.stride, t.pad, t.outputPadding), convTransposeOutputSize(t.W, t.KW, t.stride, t.pad, t.outputPadding), t.Cout, t.H, t.W, t.Cin, t.KH, t.KW, t.stride, t.pad];
    pass(fam(CONV_BWD_DATA), gem(GEMM_DYW), dt, true);
    pass(fam(CONV_BWD_WEIGHT), gem(GEMM_DYTX), dt);
    pass(fam(CONV_FWD), gem(GEMM_XWT), dt);
  });
  return [...dense, ...gemms, ...convs];
}
