// The (family, shape) pairs a model's training and evaluation launch, read from its configuration
// the way src/model/vae_gpu.ts builds them, so the tuner can run before the model is built.
// A CNN's dense head and first decoder layer are not listed yet: they run the tuned choice when a
// cache has one for their shape, else the fallback.
import { GEMM_DYTX, GEMM_DYW, GEMM_XWT } from '../kernels/gemm.ts';
import type { VaeConfig } from '../model/vae_gpu.ts';
import { modelLayers } from '../parts/model.ts';
import type { Family } from './family.ts';
import type { TuneRequest } from './measure.ts';

const req = <A>(family: Family<A>, M: number, N: number, K: number): TuneRequest => ({ family: family as unknown as Family<unknown>, shape: { M, N, K } });

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
