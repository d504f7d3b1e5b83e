// Table Metropolis-within-Gibbs (likelihood ratio of every cell, the mixed-type Gibbs draws):
// shaders/mwg_table.wgsl and src/ref/mwg_table.ts. Caught by test/mwg_table_definition.test.ts:
// the ratio against two table NLLs (src/ref/table_nll.ts) and the draws against their
// distributions. The latent terms are mwg_log_weight's (its own family mutates them).
import type { Family } from './types.ts';

const K = 'shaders/mwg_table.wgsl', REF = 'src/ref/mwg_table.ts';

const family: Family = {
  kernel: 'mwg_table',
  tests: ['test/mwg_table_definition.test.ts'],
  mutants: [
    {
      name: 'real ratio with the sign of the mean difference flipped',
      edits: [
        [K, 'lik += 0.5 * exp(-lv[at]) * (mu - mc) * (2.0 * xm[xb + at] - mu - mc);', 'lik += 0.5 * exp(-lv[at]) * (mc - mu) * (2.0 * xm[xb + at] - mu - mc);'],
        [REF, 's += 0.5 * Math.exp(-lv[at]) * (mu - mc) * (2 * x[at] - mu - mc);', 's += 0.5 * Math.exp(-lv[at]) * (mc - mu) * (2 * x[at] - mu - mc);'],
      ],
    },
    {
      name: 'categorical ratio adds the logsumexp difference instead of subtracting it',
      edits: [
        [K, 'lik += picked - (lse(o + at, info.z, false) - lse(o + at, info.z, true));', 'lik += picked + (lse(o + at, info.z, false) - lse(o + at, info.z, true));'],
        [REF, 's += picked - (logSumExp(out, at, col.width) - logSumExp(outCur, at, col.width));', 's += picked + (logSumExp(out, at, col.width) - logSumExp(outCur, at, col.width));'],
      ],
    },
    {
      name: 'binary ratio without the softplus terms',
      edits: [
        [K, 'lik += xm[xb + at] * (l - lc) - (softplus(l) - softplus(lc));', 'lik += xm[xb + at] * (l - lc);'],
        [REF, 's += x[at] * (out[at] - outCur[at]) - (softplus(out[at]) - softplus(outCur[at]));', 's += x[at] * (out[at] - outCur[at]);'],
      ],
    },
    {
      name: 'real draws with the variance where the standard deviation belongs',
      edits: [
        [K, 'xm[xb + at] = mu + exp(0.5 * lv[at]) * n;', 'xm[xb + at] = mu + exp(lv[at]) * n;'],
        [REF, 'xm[xb + at] = mu + Math.exp(0.5 * a.lv[at]) * n;', 'xm[xb + at] = mu + Math.exp(a.lv[at]) * n;'],
      ],
    },
    {
      name: 'binary draws with probability 1 - p',
      edits: [
        [K, 'xm[xb + at] = select(0.0, 1.0, u < p);', 'xm[xb + at] = select(0.0, 1.0, u < 1.0 - p);'],
        [REF, 'xm[xb + at] = u0 < q ? 1 : 0;', 'xm[xb + at] = u0 < 1 - q ? 1 : 0;'],
      ],
    },
    {
      name: 'categorical inverse CDF one level late (the cumulative sum before the level)',
      edits: [
        [K, 'if (!found && u < cum) {', 'if (!found && u < cum - p) {'],
        [REF, 'if (!found && u0 < cum) {', 'if (!found && u0 < cum - q) {'],
      ],
    },
  ],
};
export default family;
