// The GPU bundle's self-check (scripts/gpu-bundle.sh): the kernel tests' GPU-vs-float64 checks at
// the real layer sizes, on whatever adapter the Node runtime chose, for a machine that has no
// node_modules and no test runner. Same probes as the kernel tests (test/page/*_probes.ts), same
// references (src/ref), same tolerances; each check prints PASS/FAIL with its largest error and
// the largest error relative to the tolerance (1 = at the limit). Exit 1 when any check fails.
//   node selfcheck.mjs [--json FILE]
import { writeFileSync } from 'node:fs';
import { openDawnDevice } from '../src/node/dawn_worker.ts';
import { addBiasRelu, columnSums, matmulDytX, matmulDyW, matmulXWt, reluMask } from '../src/ref/gemm.ts';
import { reparamBackward, reparamForward, type Prior } from '../src/ref/reparam_kl.ts';
import { forwardBackward, initParams, layerShapes, type VaeShape } from '../src/ref/vae.ts';
import { createRng } from '../src/rng.ts';
import type { VaeConfig } from '../src/model/vae_gpu.ts';
import { kernelProbes } from '../test/page/kernel_probes.ts';
import { modelProbes } from '../test/page/model_probes.ts';

export interface CheckRow {
  name: string;
  pass: boolean;
  /** max |gpu - ref| */
  maxAbsErr: number;
  /** max |gpu - ref| / (atol + rtol |ref|): at most 1 passes */
  maxTolRatio: number;
  ms: number;
}

const REFERENCE: VaeShape = { encoder: [784, 400, 128], latent: 10, decoder: [128, 400, 784] };
const B = 500;

function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r.next());
}

function normal(n: number, seed: number): Float32Array {
  const r = createRng(seed);
  return Float32Array.from({ length: n }, () => r.normal());
}

function unpad(padded: Float32Array, rows: number, cols: number): Float32Array {
  const ld = Math.ceil(cols / 4) * 4;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) out.set(padded.subarray(i * ld, i * ld + cols), i * cols);
  return out;
}

/** Errors of one tensor; a NaN on the GPU side counts as an infinite error. */
function compare(gpu: ArrayLike<number>, ref: ArrayLike<number>, tol: { atol: number; rtol: number }): { maxAbsErr: number; maxTolRatio: number } {
  if (gpu.length !== ref.length) return { maxAbsErr: Infinity, maxTolRatio: Infinity };
  let maxAbsErr = 0, maxTolRatio = 0;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(gpu[i] - ref[i]);
    const e = Number.isNaN(err) ? Infinity : err;
    maxAbsErr = Math.max(maxAbsErr, e);
    maxTolRatio = Math.max(maxTolRatio, e / (tol.atol + tol.rtol * Math.abs(ref[i])));
  }
  return { maxAbsErr, maxTolRatio };
}

const worst = (parts: { maxAbsErr: number; maxTolRatio: number }[]) => ({
  maxAbsErr: Math.max(...parts.map((p) => p.maxAbsErr)),
  maxTolRatio: Math.max(...parts.map((p) => p.maxTolRatio)),
});

const maxAbs = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};

async function main(): Promise<number> {
  const jsonAt = process.argv.indexOf('--json');
  const jsonPath = jsonAt >= 0 ? process.argv[jsonAt + 1] : undefined;
  const { device, ctx, adapter } = await openDawnDevice((l) => console.error(l));
  console.log(`selfcheck: adapter ${adapter.vendor} ${adapter.architecture} ${adapter.description} (${adapter.driver})`);
  const k = kernelProbes(ctx), m = modelProbes(ctx);
  const rows: CheckRow[] = [];
  const check = async (name: string, run: () => Promise<{ maxAbsErr: number; maxTolRatio: number }>) => {
    const t0 = performance.now();
    let r: { maxAbsErr: number; maxTolRatio: number };
    try {
      r = await run();
    } catch (e) {
      console.log(`FAIL ${name}: ${e instanceof Error ? e.message : String(e)}`);
      rows.push({ name, pass: false, maxAbsErr: Infinity, maxTolRatio: Infinity, ms: performance.now() - t0 });
      return;
    }
    const row = { name, pass: r.maxTolRatio <= 1, ...r, ms: performance.now() - t0 };
    rows.push(row);
    console.log(`${row.pass ? 'PASS' : 'FAIL'} ${name}: max |err| ${row.maxAbsErr.toExponential(2)}, max err/tol ${row.maxTolRatio.toFixed(3)} (${(row.ms / 1000).toFixed(1)} s)`);
  };

  // 1. every GEMM of a training step at batch 500: the gemm test's tolerance (f32 sums of <= 784 terms)
  const GEMM_TOL = { atol: 1e-4, rtol: 1e-4 };
  const nEnc = REFERENCE.encoder.length;
  for (const [i, s] of layerShapes(REFERENCE).entries()) {
    const M = B, N = s.out, K = s.in, seed = 1000 * i + 1;
    await check(`gemm_xwt Y = X·Wᵀ + b${s.relu ? ', ReLU' : ''}, ${M}x${N}x${K}`, async () => {
      const x = uniform(M * K, seed), w = uniform(N * K, seed + 1), b = uniform(N, seed + 2);
      const { y } = await k.gemmXWt({ M, N, K, x, w, b, relu: s.relu });
      return compare(unpad(y, M, N), addBiasRelu(matmulXWt(x, w, M, N, K), b, M, N, s.relu), GEMM_TOL);
    });
    if (i > 0) {
      await check(`gemm_dyw dX = dY·W${i !== nEnc ? ' ⊙ ReLU mask' : ''}, ${M}x${N}x${K}`, async () => {
        const dy = uniform(M * N, seed + 3), w = uniform(N * K, seed + 4), act = i !== nEnc ? uniform(M * K, seed + 5) : undefined;
        const { dx } = await k.gemmDyW({ M, N, K, dy, w, act });
        const ref = matmulDyW(dy, w, M, N, K);
        return compare(unpad(dx, M, K), act ? reluMask(ref, act) : ref, GEMM_TOL);
      });
    }
    await check(`gemm_dytx dW = dYᵀ·X, db, ${M}x${N}x${K}`, async () => {
      const dy = uniform(M * N, seed + 6), x = uniform(M * K, seed + 7);
      const { dw, db } = await k.gemmDytX({ M, N, K, dy, x });
      return worst([compare(unpad(dw, Math.ceil(N / 4) * 4, K).subarray(0, N * K), matmulDytX(dy, x, M, N, K), GEMM_TOL), compare(db, columnSums(dy, M, N), GEMM_TOL)]);
    });
  }

  // 2. reparameterization + KL forward and backward at batch 500, latent 10 (the reparam test's tolerances)
  const PRIORS: Prior[] = [{ kind: 'gaussian' }, { kind: 't', nu: 21 }, { kind: 't', nu: 2.5 }];
  for (const prior of PRIORS) {
    const L = REFERENCE.latent;
    await check(`reparam_kl ${prior.kind === 't' ? `t(nu=${prior.nu})` : 'gaussian'} z, KL rows, dh, ${B}x${L}`, async () => {
      const h = uniform(B * 2 * L, 7, -2, 2), eps = normal(B * L, 8), dz = uniform(B * L, 9, -0.1, 0.1), scale = 1 / B;
      const gpu = await k.reparam({ M: B, L, prior, h, eps, dz, scale });
      const fwd = reparamForward(h, eps, B, L, prior);
      const TOL = { atol: 2e-5, rtol: 2e-5 };
      return worst([
        compare(unpad(gpu.z, B, L), fwd.z, TOL),
        compare(gpu.kl, fwd.klRows, { atol: 1e-4, rtol: 2e-5 }),
        compare(unpad(gpu.dh, B, 2 * L), reparamBackward(h, eps, dz, B, L, prior, scale), TOL),
      ]);
    });
  }

  // 3. the whole model: loss rows and every gradient against the float64 model (itself checked by
  // finite differences in the tests), 784-400-128-10 at batch 500 (a few seconds of float64)
  const MB = B;
  for (const prior of [{ kind: 'gaussian' }, { kind: 't', nu: 21 }] as Prior[]) {
    await check(`whole VAE ${prior.kind === 't' ? `t(nu=${prior.nu})` : 'gaussian'} loss rows + all gradients, 784-400-128-10, batch ${MB}`, async () => {
      const r = createRng(42);
      const params = initParams(REFERENCE, () => r.normal(), 0.1);
      for (const l of params) for (let i = 0; i < l.b.length; i++) l.b[i] = 0.05 * r.normal();
      const x = uniform(MB * 784, 43, 0, 1), eps = normal(MB * REFERENCE.latent, 44);
      const config: VaeConfig = { shape: REFERENCE, prior, batch: MB, optimizer: { kind: 'sgd', lr: 0.005 }, seed: 1 };
      const gpu = await m.vaeGradients({ config, params, x, eps });
      const ref = forwardBackward(params, REFERENCE, x, eps, MB, prior);
      // per tensor, as vae_gradients.test.ts: |gpu - ref| <= 2e-3 max|ref| + 1e-3 |ref|
      return worst([
        compare(gpu.re, ref.reRows, { atol: 1e-3, rtol: 1e-4 }),
        compare(gpu.kl, ref.klRows, { atol: 1e-3, rtol: 1e-4 }),
        ...ref.grads.flatMap((g, i) => [
          compare(gpu.grads[i].w, g.w, { atol: 2e-3 * maxAbs(g.w), rtol: 1e-3 }),
          compare(gpu.grads[i].b, g.b, { atol: 2e-3 * maxAbs(g.b), rtol: 1e-3 }),
        ]),
      ]);
    });
  }
  device.destroy();
  const failed = rows.filter((r) => !r.pass).length;
  console.log(failed ? `selfcheck: ${failed} of ${rows.length} checks FAILED` : `selfcheck: all ${rows.length} checks passed`);
  if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ adapter, pass: failed === 0, rows }, null, 2) + '\n');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`selfcheck: error: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
