// The jax-js peer: the reference VAE's training step written in jax-js's own idiom (a pure loss,
// valueAndGrad, plain SGD, the whole step under one jit so jax-js fuses and records it), timed on
// one of its devices: 'webgpu' (on navigator.gpu: in Node the process's one Dawn instance, the
// same adapter as ours) or 'wasm'. Same layers, initial weights, batch, learning rate, Bernoulli
// loss from logits and analytic Gaussian KL as ours and TF.js's; the noise is drawn by
// jax.random on the device. Only the Gaussian prior is written (the t prior's gamma draws are not).
// jax-js counts references: every array passed to a function is consumed, `.ref` keeps one.
// imported statically: the page server (Vite) pre-bundles only what the page's static imports
// reach before it first answers; a dependency found later by a dynamic import re-bundles them all,
// and the page's requests for the older bundle fail (504 Outdated Optimize Dep)
import * as jax from '@jax-js/jax';
import type { VaeConfig } from '../../src/model/vae_gpu.ts';
import { initParams, layerShapes } from '../../src/ref/vae.ts';
import { createRng } from '../../src/rng.ts';
import { syntheticImages, toUnit } from '../synthetic.ts';
import { stepFlops } from './step.ts';
import type { StepTiming } from './e2e.ts';

type JArray = InstanceType<typeof jax.numpy.Array>;
type Params = { w: JArray[]; b: JArray[] };
export type JaxDevice = 'webgpu' | 'wasm';

const started = new Map<JaxDevice, Promise<string | undefined>>();

/** Starts jax-js's backend once per device; undefined when it runs, else why not. */
export function startJax(device: JaxDevice): Promise<string | undefined> {
  let s = started.get(device);
  if (!s) {
    s = (async () => {
      try {
        const got = await jax.init(device);
        return got.includes(device) ? undefined : `jax-js found no ${device} backend here${device === 'webgpu' ? ' (no navigator.gpu or no adapter)' : ''}`;
      } catch (e) {
        return `jax-js failed to start ${device}: ${(e as Error).message}`;
      }
    })();
    started.set(device, s);
  }
  return s;
}

/** The adapter jax-js's WebGPU device is on, as "vendor architecture (description)". */
export async function jaxAdapterInfo(): Promise<string> {
  const info = (jax.getWebGPUDevice() as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  return info ? `${info.vendor} ${info.architecture} (${info.description})` : 'unknown';
}

/** How jax-js runs here: its Wasm backend spreads kernels over navigator.hardwareConcurrency
 *  Web Workers only where SharedArrayBuffer and Worker exist (a cross-origin-isolated page; not
 *  plain Node, which has no global Worker), else it runs them on the calling thread. */
function threadsOf(device: JaxDevice): string {
  if (device === 'webgpu') return 'GPU';
  if (typeof SharedArrayBuffer === 'undefined' || typeof Worker === 'undefined') return 'single-threaded: no SharedArrayBuffer + Worker here';
  return `multi-threaded: ${navigator.hardwareConcurrency || 4} workers`;
}

export async function jaxStepTiming(config: VaeConfig, steps: number, device: JaxDevice): Promise<StepTiming & { threads: string; adapter?: string }> {
  if (config.net || config.prior.kind !== 'gaussian') throw new Error('the jax-js peer has only the MLP VAE with the Gaussian prior');
  const why = await startJax(device);
  if (why) throw new Error(why);
  const { numpy: np, nn, random, tree } = jax;
  jax.defaultDevice(device); // jax.random's draws land there too
  const { shape, batch: B } = config;
  const D = shape.encoder[0], L = shape.latent, nEnc = shape.encoder.length;
  const specs = layerShapes(shape);
  const lr = config.optimizer.lr;
  const on = { device };
  const r = createRng(config.seed);
  // the trainer's initial draws; W kept as (in, out) for x·W, like TF.js's peer
  const init = initParams(shape, () => r.normal(), 0.1);
  let params: Params = {
    w: init.map((p) => np.array(transposed(p.w, p.out, p.in), on).reshape([p.in, p.out])),
    b: init.map((p) => np.array(Float32Array.from(p.b), on)),
  };
  const count = (steps + 2) * B;
  const images = toUnit(syntheticImages(count, D));
  const batches = Array.from({ length: steps + 2 }, (_, s) => np.array(new Float32Array(images.subarray(s * B * D, (s + 1) * B * D)), on).reshape([B, D]));

  /** the batch mean of RE + KL, as the GPU model computes it */
  const loss = (p: Params, x: JArray, eps: JArray): JArray => {
    let act = x.ref;
    for (let i = 0; i < nEnc; i++) act = dense(act, p, i);
    const [mu, logvar] = np.split(act, 2, 1);
    const z = mu.ref.add(np.exp(logvar.ref.mul(0.5)).mul(eps));
    const kl = logvar.ref.add(1).sub(np.square(mu)).sub(np.exp(logvar)).sum(1).mul(-0.5);
    let l = z;
    for (let i = nEnc; i < specs.length; i++) l = dense(l, p, i);
    // Bernoulli loss from logits l: max(l, 0) - x l + log1p(exp(-|l|))
    const re = nn.relu(l.ref).sub(x.mul(l.ref)).add(np.log1p(np.exp(np.negative(np.abs(l))))).sum(1);
    return re.add(kl).mean();
  };
  const dense = (a: JArray, p: Params, i: number): JArray => {
    const y = np.matmul(a, p.w[i]).add(p.b[i]);
    return specs[i].relu ? nn.relu(y) : y;
  };
  const step = jax.jit((p: Params, x: JArray, eps: JArray) => {
    const [value, g] = jax.valueAndGrad(loss)(tree.ref(p), x, eps);
    const next = tree.map((w: JArray, gw: JArray) => w.sub(gw.mul(lr)), p, g) as Params;
    return [next, value] as [Params, JArray];
  });

  let lossSum = np.zeros([], on);
  const run = (s: number) => {
    const eps = random.normal(random.key(config.seed * 100_003 + s), [B, L]);
    const [next, value] = step(params, batches[s].ref, eps);
    params = next;
    lossSum = lossSum.add(value);
  };
  const sync = () => jax.blockUntilReady([params, lossSum]);
  try {
    run(0); // warm-up: jit traces and compiles here
    await sync();
    const t0 = performance.now();
    for (let s = 1; s <= steps; s++) run(s);
    await sync();
    const stepMs = (performance.now() - t0) / steps;
    // a validation step: the loss alone, jitted too (eager, every op is its own pipeline), warmed
    const valid = jax.jit(loss);
    const validOnce = async (s: number) => {
      const eps = random.normal(random.key(config.seed * 100_003 + s), [B, L]);
      const v0 = performance.now();
      const v = await jax.blockUntilReady(valid(tree.ref(params), batches[s].ref, eps));
      const ms = performance.now() - v0;
      v.dispose();
      return ms;
    };
    await validOnce(0);
    const validMs = await validOnce(steps + 1);
    valid.dispose();
    const meanLoss = (await lossSum.ref.data())[0] / (steps + 1);
    const adapter = device === 'webgpu' ? await jaxAdapterInfo() : undefined;
    return { stepMs, validMs, steps, stepGflop: stepFlops(config) / 1e9, meanLoss, threads: threadsOf(device), ...(adapter ? { adapter } : {}) };
  } finally {
    tree.dispose([params, lossSum, batches]);
    step.dispose();
  }
}

/** row-major (rows x cols) float64 -> row-major (cols x rows) float32 */
function transposed(w: Float64Array, rows: number, cols: number): Float32Array<ArrayBuffer> {
  const t = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = w[i * cols + j];
  return t;
}
