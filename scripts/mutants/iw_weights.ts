// The importance-weighted bound (MIWAE): shaders/iw_weights.wgsl with src/ref/iw_weights.ts, and the
// weighted backward entry points it feeds (reparam_kl_gauss / reparam_kl_t `backward_weighted` with
// src/ref/reparam_kl.ts, table_nll `logvar_grad_weighted` with src/ref/table_nll.ts). Caught by the
// definition typed out, the bound's finite differences with missing cells, and the unbiasedness
// against quadrature (test/miwae_definition.test.ts), or the GPU bound at K = 1 against the ELBO path
// bit for bit and the trainer's replication (test/miwae.test.ts).
import type { Family } from './types.ts';

const K = 'shaders/iw_weights.wgsl', REF = 'src/ref/iw_weights.ts';
// backward_weighted of reparam_kl_gauss and reparam_kl_t is shaders/lib/reparam_backward.wgsl's (one edit: both)
const WEIGHTED = 'shaders/lib/reparam_backward.wgsl', KL_REF = 'src/ref/reparam_kl.ts';
const NLL = 'shaders/table_nll.wgsl', NLL_REF = 'src/ref/table_nll.ts';

const family: Family = {
  kernel: 'iw_weights',
  tests: ['test/miwae_definition.test.ts', 'test/miwae.test.ts'],
  mutants: [
    {
      name: 'bound: -log sum w (the 1/K of the mean dropped)',
      edits: [
        [K, 'let bound = -(top + log(sum) - log(f32(K)));', 'let bound = -(top + log(sum));'],
        [REF, 'bound[b] = -(top + Math.log(sum) - Math.log(K));', 'bound[b] = -(top + Math.log(sum));'],
      ],
    },
    {
      name: 'weights not normalised (exp(log w - max) without / sum)',
      edits: [
        [K, 'let w = exp(-(re[m] + kl[m]) - top) / sum;', 'let w = exp(-(re[m] + kl[m]) - top);'],
        [REF, 'weights[b * K + k] = Math.exp(-(re[b * K + k] + kl[b * K + k]) - top) / sum;', 'weights[b * K + k] = Math.exp(-(re[b * K + k] + kl[b * K + k]) - top);'],
      ],
    },
    {
      name: 'uniform weights 1/K (the mean of the K ELBOs\' gradients, not the bound\'s)',
      edits: [
        [K, 'let w = exp(-(re[m] + kl[m]) - top) / sum;', 'let w = 1.0 / f32(K);'],
        [REF, 'weights[b * K + k] = Math.exp(-(re[b * K + k] + kl[b * K + k]) - top) / sum;', 'weights[b * K + k] = 1 / K;'],
      ],
    },
    {
      name: 'dOut not scaled by the weights (every replica\'s likelihood gradient at 1/B)',
      edits: [
        [K, 'for (var d = 0u; d < params.D; d++) { dOut[m * params.ldo + d] *= w; }', ''],
        [NLL_REF, 'grad[o] = r.dMean * wB;', 'grad[o] = r.dMean / B;'],
        [NLL_REF, 'grad[o] = r.dLogit * wB;', 'grad[o] = r.dLogit / B;'],
        [NLL_REF, 'grad[o + k] = r.dLogits[k] * wB;', 'grad[o + k] = r.dLogits[k] / B;'],
      ],
    },
    {
      name: 'the KL half of the reported bound is the whole bound (re counted twice)',
      edits: [
        [K, 'boundKl[b] = bound - reMean;', 'boundKl[b] = bound;'],
        [REF, 'boundKl[b] = bound[b] - boundRe[b];', 'boundKl[b] = bound[b];'],
      ],
    },
    {
      name: 'reparam backward_weighted: the KL part weighted by the square of the weight',
      edits: [
        [WEIGHTED, 'backwardRow(m, params.scale * rowW[m]);', 'backwardRow(m, params.scale * rowW[m] * rowW[m]);'],
        [KL_REF, 'const ks = rowWeights ? scale * rowWeights[i] : scale;', 'const ks = rowWeights ? scale * rowWeights[i] * rowWeights[i] : scale;'],
      ],
    },
    {
      name: 'reparam backward_weighted: the weight without the batch\'s 1/B',
      edits: [
        [WEIGHTED, 'backwardRow(m, params.scale * rowW[m]);', 'backwardRow(m, rowW[m]);'],
        [KL_REF, 'const ks = rowWeights ? scale * rowWeights[i] : scale;', 'const ks = rowWeights ? rowWeights[i] : scale;'],
      ],
    },
    {
      name: 'reparam backward_weighted: the next row\'s weight',
      edits: [
        [WEIGHTED, 'backwardRow(m, params.scale * rowW[m]);', 'backwardRow(m, params.scale * rowW[(m + 1u) % params.M]);'],
        [KL_REF, 'const ks = rowWeights ? scale * rowWeights[i] : scale;', 'const ks = rowWeights ? scale * rowWeights[(i + 1) % B] : scale;'],
      ],
    },
    {
      name: 'table logvar_grad_weighted: the weights ignored',
      edits: [
        [NLL, 's += lvTerm(m, u32(at)) * rowW[m];', 's += lvTerm(m, u32(at)) + 0.0 * rowW[m];'],
        [NLL_REF, 'gradLogvar[col.offset] += r.dLv * wB;', 'gradLogvar[col.offset] += r.dLv / B;'],
      ],
    },
    {
      name: 'table logvar_grad_weighted: the next row\'s weight',
      edits: [
        [NLL, 's += lvTerm(m, u32(at)) * rowW[m];', 's += lvTerm(m, u32(at)) * rowW[(m + 1u) % params.M];'],
        [NLL_REF, 'gradLogvar[col.offset] += r.dLv * wB;', 'gradLogvar[col.offset] += r.dLv * (rowWeights ? rowWeights[(i + 1) % B] : 1) / B;'],
      ],
    },
  ],
};
export default family;
