// Evaluation with the weights packed once. The texture-reading GEMM variants (gemm_subgroup.ts)
// copy each input into a texture before every dispatch, because in training the weights change
// every step. An evaluator's weights change only when it is handed new ones, and it runs the
// same layers hundreds of times (the imputation protocol decodes each image ~700 times). On
// lavapipe the packs were about a fifth of a forward pass's CPU time at batch 100, mostly the
// weights; hoisting them cut the protocol's CPU time 5-20% (alternated runs on a shared machine).
// So the weight packs leave the evaluation lists and run once per write of the weights.
import { runDispatches, type Dispatch, type GpuContext } from '../gpu/context.ts';
import { hoistPacks } from '../kernels/texture_pack.ts';
import type { GpuVae } from '../model/vae_gpu.ts';

export interface PackedWeightsVae {
  /** the model whose evaluation-mode lists (encodeEval, decodeEval, evalForward) no longer pack
   *  the weights; its training lists are left out (they change the weights) */
  vae: GpuVae;
  /** writes the weights and packs them; every later evaluation dispatch reads them */
  setParams(params: Float32Array): void;
}

export function packedWeightsVae(ctx: GpuContext, vae: GpuVae): PackedWeightsVae {
  const hoist = (ds: Dispatch[]) => hoistPacks(ds, vae.params);
  const enc = hoist(vae.encodeEval), dec = hoist(vae.decodeEval), fwd = hoist(vae.evalForward);
  // evalForward shares its layers' dispatches (and textures) with encodeEval and decodeEval
  const packs = [...new Set([...enc.packs, ...dec.packs, ...fwd.packs])];
  const noTraining = (): never => {
    throw new Error('an evaluation model does not train (its weight textures are packed once)');
  };
  const evalOnly: GpuVae = {
    ...vae,
    encodeEval: enc.dispatches,
    decodeEval: dec.dispatches,
    evalForward: fwd.dispatches,
    // the training lists would read the once-packed textures after an update: not offered
    get forward() { return noTraining(); },
    get backward() { return noTraining(); },
    get update() { return noTraining(); },
    get encode() { return noTraining(); },
    get decode() { return noTraining(); },
  };
  return {
    vae: evalOnly,
    setParams(params) {
      ctx.device.queue.writeBuffer(vae.params, 0, params);
      // queued after the write, before any evaluation work: one pack per weight matrix
      if (packs.length) runDispatches(ctx, packs);
    },
  };
}
