// Optimizers: shaders/sgd.wgsl, shaders/adam.wgsl and src/ref/optim.ts. Independent check: the
// update rules typed out for two steps (optim.test.ts).
import type { Family } from './types.ts';

const SGD = 'shaders/sgd.wgsl', ADAM = 'shaders/adam.wgsl', REF = 'src/ref/optim.ts';

const family: Family = {
  kernel: 'sgd + adam',
  tests: ['test/optim.test.ts'],
  mutants: [
    {
      name: 'sgd: ascent (sign flipped)',
      edits: [
        [SGD, 'p[i] -= params.lr * g[i];', 'p[i] += params.lr * g[i];'],
        [REF, 'for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];', 'for (let i = 0; i < p.length; i++) p[i] += lr * g[i];'],
      ],
    },
    {
      name: 'sgd: learning rate squared',
      edits: [
        [SGD, 'p[i] -= params.lr * g[i];', 'p[i] -= params.lr * params.lr * g[i];'],
        [REF, 'for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];', 'for (let i = 0; i < p.length; i++) p[i] -= lr * lr * g[i];'],
      ],
    },
    {
      name: 'adam: bias correction one step late (t + 1)',
      edits: [
        [ADAM, 'let t = f32(state.step + 1u);', 'let t = f32(state.step + 2u);'],
        [REF, 'const c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);', 'const c1 = 1 - Math.pow(beta1, t + 1), c2 = 1 - Math.pow(beta2, t + 1);'],
      ],
    },
    {
      name: 'adam: eps inside the square root',
      edits: [
        [ADAM, 'p[i] -= params.lr * mhat / (sqrt(vhat) + params.eps);', 'p[i] -= params.lr * mhat / sqrt(vhat + params.eps);'],
        [REF, 'p[i] -= (lr * mhat) / (Math.sqrt(vhat) + eps);', 'p[i] -= (lr * mhat) / Math.sqrt(vhat + eps);'],
      ],
    },
    {
      name: 'adam: second moment without bias correction',
      edits: [
        [ADAM, 'let vhat = vi / (1.0 - pow(params.beta2, t));', 'let vhat = vi;'],
        [REF, 'const mhat = m[i] / c1, vhat = v[i] / c2;', 'const mhat = m[i] / c1, vhat = v[i] + 0 * c2;'],
      ],
    },
    {
      name: 'sgd: one vec4 of a group of four updated twice, another skipped (index math, kernel only)',
      edits: [[SGD, 'update(i0 + 3u);', 'update(i0 + 2u);']],
    },
    {
      name: 'sgd: the tail after the last whole group starts one vec4 late (kernel only)',
      edits: [[SGD, 'for (var i = i0; i < params.n4; i++) { update(i); }', 'for (var i = i0 + 1u; i < params.n4; i++) { update(i); }']],
    },
  ],
};
export default family;
