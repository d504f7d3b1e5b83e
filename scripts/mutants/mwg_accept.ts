// Metropolis-within-Gibbs accept/reject and Gibbs refill: shaders/mwg_accept.wgsl and
// src/ref/mwg_accept.ts. Independent checks: the pixel draws against their Bernoulli means
// (mwg_accept.test.ts) and the chain's long-run imputations against quadrature (mwg_eval.test.ts).
import type { Family } from './types.ts';

const K = 'shaders/mwg_accept.wgsl', REF = 'src/ref/mwg_accept.ts';

const family: Family = {
  kernel: 'mwg_accept',
  tests: ['test/mwg_accept.test.ts', 'test/mwg_eval.test.ts'],
  mutants: [
    {
      name: 'log rho adds the current weight instead of subtracting it',
      edits: [
        [K, 'let logRho = t.x + t.y - t.z;', 'let logRho = t.x + t.y + t.z;'],
        [REF, 'return terms[m * 4] + terms[m * 4 + 1] - terms[m * 4 + 2];', 'return terms[m * 4] + terms[m * 4 + 1] + terms[m * 4 + 2];'],
      ],
    },
    {
      name: 'accept test reversed (log u > log rho)',
      edits: [
        [K, 'log(uniform01(r.x)) < logRho;', 'log(uniform01(r.x)) > logRho;'],
        [REF, 'Math.log(acceptUniform(seed, step, m)) < logRho;', 'Math.log(acceptUniform(seed, step, m)) > logRho;'],
      ],
    },
    {
      name: 'missing pixels drawn with probability 1 - p',
      edits: [
        [K, 'xhat[i][j] = select(0.0, 1.0, uniform01(r.x) < p);', 'xhat[i][j] = select(0.0, 1.0, uniform01(r.x) < 1.0 - p);'],
        [REF, 'xhat[i] = drawUniform(seed, step, m, d) < p[i] ? 1 : 0;', 'xhat[i] = drawUniform(seed, step, m, d) < 1 - p[i] ? 1 : 0;'],
      ],
    },
    {
      name: 'the fourth pixel of a vec4 drawn with the third one\'s counter (index math, kernel only)',
      edits: [[K, 'redraw(m, i, 3u, d + 3u, l.w);', 'redraw(m, i, 3u, d + 2u, l.w);']],
    },
    {
      // (a padding pixel counted instead changes nothing: the mask's padding is 0)
      name: 'the row\'s last pixel never refilled (live mask off by one, kernel only)',
      edits: [[K, '+ vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(params.D);', '+ vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(params.D - 1u);']],
    },
  ],
};
export default family;
