// The bench in plain Node through Dawn (TVAE_RUNTIME=node, or no Chromium here): the bench page's
// function map (page/api.ts) called in-process on a device from the process's one Dawn instance,
// with TF.js's WebGPU backend on the same instance through navigator.gpu.
// TF.js's ES modules import directories, which Node's own loader refuses, and its CommonJS build
// ships no gradients: so outside the GPU bundle (where esbuild has already bundled it) page/api.ts
// is bundled by esbuild into a temporary file first, resolving every package to its ES module.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TvaeError } from '../src/errors.ts';
import { dawnInstance } from '../src/node/dawn_instance.ts';
import { openDawnDevice } from '../src/node/dawn_worker.ts';
import { projectRoot } from '../src/node/project_root.ts';
import { cpuSplit } from '../src/node/thread_cpu.ts';
import type { BenchApi } from './page/api.ts';

/** set by the GPU bundle's esbuild (scripts/gpu-bundle.sh): page/api.ts is already bundled */
declare const TVAE_BUNDLED: boolean | undefined;

export interface BenchHarness {
  call<T = unknown>(fn: string, args?: unknown): Promise<T>;
  close(): Promise<void>;
}

async function loadApiModule(): Promise<typeof import('./page/api.ts')> {
  if (typeof TVAE_BUNDLED !== 'undefined') return import('./page/api.ts');
  const esbuild = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'tvae-bench-'));
  const outfile = join(dir, 'bench_api.mjs');
  try {
    await esbuild.build({
      entryPoints: [join(projectRoot, 'bench/page/api.ts')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      mainFields: ['module', 'main'],
      outfile,
      logLevel: 'warning',
      banner: { js: "import { createRequire as __tvaeRequire } from 'node:module'; const require = __tvaeRequire(import.meta.url);" },
    });
    return (await import(pathToFileURL(outfile).href)) as typeof import('./page/api.ts');
  } finally {
    rmSync(dir, { recursive: true, force: true }); // loaded: the file is no longer needed
  }
}

export async function openNodeBench(log: (line: string) => void, opts: { tf?: boolean } = {}): Promise<BenchHarness> {
  const { device, ctx, adapter } = await openDawnDevice(log);
  const { gpu } = await dawnInstance();
  // before TF.js's backend is imported (it registers only where navigator.gpu exists)
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: `Node ${process.version}` }, configurable: true });
  const { createBenchApi } = await loadApiModule();
  const api: BenchApi = await createBenchApi(ctx, adapter, `Node ${process.version}, Dawn through the npm package webgpu (no browser)`, { ...opts, cpu: cpuSplit });
  const fns = api as unknown as Record<string, (a: unknown) => Promise<unknown>>;
  return {
    async call<T>(fn: string, args: unknown = {}): Promise<T> {
      const f = fns[fn];
      if (!f) throw new TvaeError(`the bench has no function ${fn}`);
      return (await f(structuredClone(args))) as T;
    },
    async close() {
      device.destroy(); // the Dawn instance stays for the process (src/node/dawn_instance.ts)
    },
  };
}
