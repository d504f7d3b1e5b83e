// Gaussian decoder likelihood: shaders/gaussian_nll.wgsl and src/ref/gaussian_nll.ts.
import type { Family } from './types.ts';

const K = 'shaders/gaussian_nll.wgsl', REF = 'src/ref/gaussian_nll.ts';

const family: Family = {
  kernel: 'gaussian_nll',
  tests: ['test/gaussian_nll.test.ts', 'test/vae_gradients.test.ts', 'test/ref_vae.test.ts'],
  mutants: [
    {
      name: 'normalising constant log(2 pi)/2 -> log(pi)/2',
      edits: [
        [K, '0.5 * l + 0.9189385332046727,', '0.5 * l + 0.5723649429247001,'],
        [REF, 'const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);', 'const HALF_LOG_2PI = 0.5 * Math.log(Math.PI);'],
      ],
    },
    {
      name: 'the logvar/2 term dropped (forward and its 1/2 in dLogvar)',
      edits: [
        [K, '0.5 * r * r * inv + 0.5 * l + 0.9189385332046727,', '0.5 * r * r * inv + 0.9189385332046727,'],
        [K, 's += 0.5 - 0.5 * r * r * inv;', 's += -0.5 * r * r * inv;'],
        [REF, 's += 0.5 * r * r * inv + 0.5 * logvar[d] + HALF_LOG_2PI;', 's += 0.5 * r * r * inv + HALF_LOG_2PI;'],
        [REF, 'gradLogvar[d] += (0.5 - 0.5 * r * r * inv) / B;', 'gradLogvar[d] += (-0.5 * r * r * inv) / B;'],
      ],
    },
    {
      name: 'variance exp(lv) -> standard deviation exp(lv/2) in the squared error (forward and backward)',
      edits: [
        [K, 'let inv = exp(-l);', 'let inv = exp(-0.5 * l);'],
        [K, 'let inv = exp(-lv[c]);', 'let inv = exp(-0.5 * lv[c]);'],
        [K, 's += 0.5 - 0.5 * r * r * inv;', 's += 0.5 - 0.25 * r * r * inv;'],
        [REF, 'inv = Math.exp(-logvar[d]);', 'inv = Math.exp(-logvar[d] / 2);'],
        [REF, 'gradLogvar[d] += (0.5 - 0.5 * r * r * inv) / B;', 'gradLogvar[d] += (0.5 - 0.25 * r * r * inv) / B;'],
      ],
    },
    {
      name: 'dMean sign flipped',
      edits: [
        [K, '-r * inv * params.scale', 'r * inv * params.scale'],
        [REF, 'grad[k] = (-r * inv) / B;', 'grad[k] = (r * inv) / B;'],
      ],
    },
    {
      name: 'the padding column after the row counted (live mask off by one, kernel only)',
      edits: [[K, 'let live = liveColumns(c, params.D);', 'let live = liveColumns(c, params.D + 1u);']],
    },
    {
      name: 'one of the four running sums left out of the row loss (kernel only)',
      edits: [[K, 'rowLoss[row] = (s.x + s.y) + (s.z + s.w);', 'rowLoss[row] = (s.x + s.y) + s.z;']],
    },
    {
      name: 'dLogvar sums the rows at a stride of D / 4 vec4s instead of ld / 4 (index math, kernel only)',
      edits: [[K, 'let r = x[m * ld4 + c] - mean[m * ld4 + c];', 'let r = x[m * (params.D / 4u) + c] - mean[m * (params.D / 4u) + c];']],
    },
  ],
};
export default family;
