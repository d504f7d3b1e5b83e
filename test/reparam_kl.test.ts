// shaders/reparam_kl_gauss.wgsl and reparam_kl_t.wgsl (forward z, KL per row; backward dh)
// against src/ref/reparam_kl.ts, for the Gaussian prior and the t prior at several nu.
// Tolerance: 2e-5 + 2e-5 |ref| (single f32 transcendental chains; no long sums).
import { test } from 'node:test';
import { reparamBackward, reparamForward, type Prior } from '../src/ref/reparam_kl.ts';
import { assertClose, assertPaddingZero, normalArray, uniformArray, unpad } from './util/compare.ts';
import { useHarness } from './util/harness.ts';

const harness = useHarness();
const TOL = { atol: 2e-5, rtol: 2e-5 };
const PRIORS: Prior[] = [
  { kind: 'gaussian' }, { kind: 'gaussian', kl: 'mc' }, { kind: 't', nu: 21 }, { kind: 't', nu: 2.5 }, { kind: 't', nu: 0.5 }, { kind: 't', nu: 1000 },
  { kind: 't', nu: 5, multivariate: true }, { kind: 't', nu: 0.5, multivariate: true }, { kind: 't', nu: 1000, multivariate: true },
];

for (const prior of PRIORS) {
  for (const [M, L] of [[500, 10], [7, 3], [5, 1]] as const) {
    const name = prior.kind === 't' ? `${prior.multivariate ? 'multivariate ' : ''}t(nu=${prior.nu})` : `gaussian${prior.kl === 'mc' ? ' (one-sample KL)' : ''}`;
    test(`reparam_kl ${name} forward and backward, M=${M} L=${L}`, async () => {
      const seed = M * 31 + L;
      const h = uniformArray(M * 2 * L, seed, -2, 2);
      const eps = normalArray(M * L, seed + 1);
      const dz = uniformArray(M * L, seed + 2, -0.1, 0.1);
      const scale = 1 / M;
      const gpu = await harness().call<{ z: Float32Array; kl: Float32Array; dh: Float32Array }>('reparam', { M, L, prior, h, eps, dz, scale });
      const fwd = reparamForward(h, eps, M, L, prior);
      assertPaddingZero(gpu.z, M, L, 'z');
      assertPaddingZero(gpu.dh, M, 2 * L, 'dh');
      assertClose(unpad(gpu.z, M, L), fwd.z, TOL, 'z');
      assertClose(gpu.kl, fwd.klRows, { atol: 1e-4, rtol: 2e-5 }, 'KL per row');
      assertClose(unpad(gpu.dh, M, 2 * L), reparamBackward(h, eps, dz, M, L, prior, scale), TOL, 'dh');
    });
  }
}
