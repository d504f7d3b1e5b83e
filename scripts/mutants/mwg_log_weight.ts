// Metropolis-within-Gibbs log weights: shaders/mwg_log_weight.wgsl and src/ref/mwg_log_weight.ts.
// Independent checks: the oracle densities and the Bernoulli definition (mwg_log_weight.test.ts).
// The latent terms live in shaders/lib/latent_weight.wgsl (shared with mwg_table.wgsl).
import type { Family } from './types.ts';

const K = 'shaders/mwg_log_weight.wgsl', LIB = 'shaders/lib/latent_weight.wgsl', REF = 'src/ref/mwg_log_weight.ts';

const family: Family = {
  kernel: 'mwg_log_weight',
  tests: ['test/mwg_log_weight.test.ts'],
  mutants: [
    {
      name: 'likelihood ratio: x (lc - l) instead of x (l - lc) (sign)',
      edits: [
        [K, 'x[base + c] * (l - lc) - (softplus4(l) - softplus4(lc))', 'x[base + c] * (lc - l) - (softplus4(l) - softplus4(lc))'],
        [REF, 's += x[d] * (logits[d] - logitsCur[d])', 's += x[d] * (logitsCur[d] - logits[d])'],
      ],
    },
    {
      name: 'iid t exponent (nu+1)/2 -> nu/2',
      edits: [
        [LIB, 'if (MODE == 1u) { return -0.5 * (nu + 1.0) * sum; }', 'if (MODE == 1u) { return -0.5 * nu * sum; }'],
        [REF, 'return -0.5 * (nu + 1) * s;', 'return -0.5 * nu * s;'],
      ],
    },
    {
      name: 'multivariate t exponent (nu+L)/2 -> (nu+1)/2',
      edits: [
        [LIB, 'return -0.5 * (nu + f32(params.L)) * log1p(sum / nu);', 'return -0.5 * (nu + 1.0) * log1p(sum / nu);'],
        [REF, 'return -0.5 * (nu + u.length) * Math.log1p(s / nu);', 'return -0.5 * (nu + 1) * Math.log1p(s / nu);'],
      ],
    },
    {
      name: 'posterior standardised by the variance instead of the sd (exp(-logvar))',
      edits: [
        [LIB, 'let inv = exp(-0.5 * logvar);', 'let inv = exp(-logvar);'],
        [REF, 's[j] = (z[j] - h[j]) * Math.exp(-0.5 * h[L + j]);', 's[j] = (z[j] - h[j]) * Math.exp(-h[L + j]);'],
      ],
    },
    {
      // (counting a padding column instead changes nothing: both logits' padding is 0)
      name: 'the row\'s last pixel left out (live mask off by one, kernel only)',
      edits: [[K, 'let live = liveColumns(c, params.D);', 'let live = liveColumns(c, params.D - 1u);']],
    },
    {
      name: 'one of the four running sums left out of the likelihood ratio (kernel only)',
      edits: [[K, 'terms[row] = vec4<f32>((s.x + s.y) + (s.z + s.w), w.x, w.y, 0.0);', 'terms[row] = vec4<f32>((s.x + s.y) + s.z, w.x, w.y, 0.0);']],
    },
  ],
};
export default family;
