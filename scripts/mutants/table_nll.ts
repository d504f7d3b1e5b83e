// Table likelihood (real / binary / categorical over observed cells): shaders/table_nll.wgsl and
// src/ref/table_nll.ts. Caught by the definitions typed out and the finite differences of
// test/table_nll_definition.test.ts, and the whole table model's finite differences.
import type { Family } from './types.ts';

const K = 'shaders/table_nll.wgsl', REF = 'src/ref/table_nll.ts';

const family: Family = {
  kernel: 'table_nll',
  tests: ['test/table_nll_definition.test.ts', 'test/table_vae.test.ts'],
  mutants: [
    {
      name: 'categorical: logsumexp without its max shift added back',
      edits: [
        [K, 's += select(0.0, top + log(z) - picked, seen);', 's += select(0.0, log(z) - picked, seen);'],
        [REF, 'return { loss: lse - picked,', 'return { loss: Math.log(z) - picked,'],
      ],
    },
    {
      name: 'categorical: gradient softmax instead of softmax - target',
      edits: [
        [K, 'dOut[o + at + k] = select(0.0, (p - xm[xb + at + k]) * params.scale, seen);', 'dOut[o + at + k] = select(0.0, p * params.scale, seen);'],
        [REF, 'Math.exp(v - lse) - x[k]) }', 'Math.exp(v - lse)) }'],
      ],
    },
    {
      name: 'binary: the -x l term dropped from the loss',
      edits: [
        [K, 'max(l, 0.0) - t * l + log(1.0 + exp(-abs(l)))', 'max(l, 0.0) + log(1.0 + exp(-abs(l)))'],
        [REF, 'Math.max(l, 0) - x * l + Math.log1p', 'Math.max(l, 0) + Math.log1p'],
      ],
    },
    {
      name: 'real: exp(lv / 2) (a standard deviation) where the variance belongs',
      edits: [
        [K, 'let inv = exp(-l);', 'let inv = exp(-0.5 * l);'],
        [K, '0.5 - 0.5 * d * d * exp(-lv[at]), seen);', '0.5 - 0.5 * d * d * exp(-0.5 * lv[at]), seen);'],
        [REF, 'const d = x - mean, inv = Math.exp(-lv);', 'const d = x - mean, inv = Math.exp(-lv / 2);'],
      ],
    },
    {
      name: 'missing cells counted in the log-variance gradient',
      edits: [
        [K, 'return select(0.0, 0.5 - 0.5 * d * d * exp(-lv[at]), seen);', 'return 0.5 - 0.5 * d * d * exp(-lv[at]);'],
        [REF, 'if (!(xm[xb + D] > 0.5)) continue;', 'if (!(xm[xb + D] > 0.5)) { if (col.type === \'real\') gradLogvar[col.offset] += realCell(out[o], xm[xb], logvar[col.offset]).dLv * wB; continue; }'],
      ],
    },
    {
      name: 'missing cells get a gradient (the mask dropped from a real column\'s dOut)',
      edits: [
        [K, 'dOut[o + at] = select(0.0, -d * inv * params.scale, seen);', 'dOut[o + at] = -d * inv * params.scale;'],
        [REF, 'if (!(xm[xb + D] > 0.5)) continue;', 'if (!(xm[xb + D] > 0.5)) { if (col.type === \'real\') grad[o] = realCell(out[o], xm[xb], logvar[col.offset]).dMean * wB; continue; }'],
      ],
    },
    {
      name: 'the mask read from the x half of the row',
      edits: [
        [K, 'let seen = xm[xb + params.D + at] > 0.5;', 'let seen = xm[xb + at] > 0.5;'],
        [REF, 'if (!(xm[xb + D] > 0.5)) continue;', 'if (!(xm[xb] > 0.5)) continue;'],
      ],
    },
  ],
};
export default family;
