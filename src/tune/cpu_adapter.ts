// Which adapters the tuner treats as CPUs, and which variants it therefore does not time there.
// The workgroup-tiled GEMMs (src/kernels/gemm_tiled.ts) are built for GPUs: on llvmpipe every
// workgroup-memory load is split per lane and each barrier is a coroutine switch, and SwiftShader
// is no better (/work/shared/webgpu.md: 32x32 tiling ran at 0.4x of the plain 4x4 kernel there),
// so they cannot beat the subgroup variants on a CPU. Timing them anyway would cost every first
// run (npm start, each test process with an empty cache) their compiles and timings for nothing.
// They stay runnable there: TVAE_KERNELS and the tests force them on both software adapters.
import type { AdapterCaps, Variant } from './family.ts';

/** Names that software adapters report (vendor, architecture, device, description, driver). */
const CPU_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render|\bwarp\b/i;

/** A CPU adapter, or one not known to be a GPU: flagged software by src/gpu/device.ts (a fallback
 *  adapter or a software name), named like one in its key, or caps that do not say (CORE_CAPS, a
 *  context built without its adapter's description): GPU-only variants are never timed blind. */
export function isCpuAdapter(caps: AdapterCaps): boolean {
  return caps.software !== false || CPU_NAMES.test(caps.key);
}

/** Why the tuner does not time this variant on this adapter; undefined when it does. */
export function notTunedHere(v: Pick<Variant<unknown>, 'gpuOnly'>, caps: AdapterCaps): string | undefined {
  return v.gpuOnly && isCpuAdapter(caps) ? 'built for GPUs: not timed on a CPU adapter (TVAE_KERNELS can force it)' : undefined;
}
