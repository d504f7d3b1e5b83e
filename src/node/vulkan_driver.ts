// Which Vulkan driver the plain-Node runtime (Dawn) loads, decided from the files on the machine
// alone. Dawn must get ONE instance per process (a dropped instance crashes it, see
// /work/shared/webgpu.md), and the Vulkan loader reads VK_ICD_FILENAMES when that instance is
// created, so the choice cannot be "try one, fall back": it is made here, before the instance.
// Order: a real GPU's driver, else the project-local lavapipe (scripts/setup.sh), else SwiftShader.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fail } from '../errors.ts';
import { projectRoot } from './project_root.ts';

export type AdapterKind = 'gpu' | 'lavapipe' | 'swiftshader';

export interface VulkanDriver {
  /** 'environment': the user set VK_ICD_FILENAMES / VK_DRIVER_FILES and no TVAE_ADAPTER */
  kind: AdapterKind | 'environment';
  /** for reports: "lavapipe (Mesa 25, .vendor/lavapipe)" */
  name: string;
  /** ICD json files handed to the loader; empty for 'environment' (the user's are kept) */
  icdFiles: string[];
  /** folders the driver's own libraries live in (LD_LIBRARY_PATH; must be set at process start) */
  libraryDirs: string[];
}

/** Where scripts/setup.sh unpacks Mesa 25's lavapipe and writes its private ICD json. */
export const LAVAPIPE_DIR = join(projectRoot, '.vendor', 'lavapipe');
export const LAVAPIPE_ICD = join(LAVAPIPE_DIR, 'lvp_icd.json');
/** Chromium's SwiftShader Vulkan driver (Debian's chromium package). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Where GPU vendors' ICD files live: the NVIDIA container toolkit's folder, then the loader's. */
const ICD_DIRS = ['/usr/local/nvidia/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d'];

/** Software drivers are never "a GPU": the system's lavapipe is Mesa 22 (Dawn rejects it). */
const SOFTWARE_ICD = /lvp|lavapipe|swiftshader/i;

export interface MachineFiles {
  exists(path: string): boolean;
  list(dir: string): string[];
  read(path: string): string;
}

const realFiles: MachineFiles = {
  exists: existsSync,
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  read: (path) => readFileSync(path, 'utf8'),
};

/** Mesa installs intel/radeon ICD files on every machine with mesa-vulkan-drivers, GPU or not: an
 *  ICD counts only when its device node exists (NVIDIA's /dev/nvidiactl, else a DRM render node). */
function hasDeviceFor(icdFile: string, files: MachineFiles): boolean {
  if (/nvidia/i.test(icdFile)) return files.exists('/dev/nvidiactl') || files.exists('/dev/nvidia0');
  return files.list('/dev/dri').some((n) => n.startsWith('renderD'));
}

export function gpuIcdFiles(files: MachineFiles = realFiles): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const dir of ICD_DIRS) {
    for (const f of files.list(dir).filter((n) => n.endsWith('.json') && !SOFTWARE_ICD.test(n)).sort()) {
      if (seen.has(f)) continue; // the same vendor's file in a later folder is a duplicate
      seen.add(f);
      if (hasDeviceFor(f, files)) out.push(join(dir, f));
    }
  }
  return out;
}

/** The library folder of the private lavapipe: where its ICD json's absolute library_path points. */
function lavapipeLibraryDir(icd: string, files: MachineFiles): string {
  const path = (JSON.parse(files.read(icd)) as { ICD?: { library_path?: string } }).ICD?.library_path;
  if (!path || !path.startsWith('/')) fail(`${icd} must name an absolute ICD.library_path, got ${JSON.stringify(path)}; run bash scripts/setup.sh again`);
  return dirname(path);
}

const driverOf = {
  gpu: (icds: string[]): VulkanDriver => ({ kind: 'gpu', name: `GPU driver (${icds.join(', ')})`, icdFiles: icds, libraryDirs: [] }),
  lavapipe: (files: MachineFiles): VulkanDriver => ({ kind: 'lavapipe', name: 'lavapipe (Mesa, project-local .vendor/lavapipe)', icdFiles: [LAVAPIPE_ICD], libraryDirs: [lavapipeLibraryDir(LAVAPIPE_ICD, files)] }),
  swiftshader: (): VulkanDriver => ({ kind: 'swiftshader', name: `SwiftShader (${SWIFTSHADER_ICD})`, icdFiles: [SWIFTSHADER_ICD], libraryDirs: [] }),
};

export function chooseVulkanDriver(env: NodeJS.ProcessEnv = process.env, files: MachineFiles = realFiles): VulkanDriver {
  const forced = env.TVAE_ADAPTER;
  if (forced !== undefined && forced !== '') {
    if (forced === 'gpu') {
      const icds = gpuIcdFiles(files);
      if (!icds.length) fail(`TVAE_ADAPTER=gpu but no GPU Vulkan driver with its device was found (looked for ICD files in ${ICD_DIRS.join(', ')} with /dev/nvidiactl or /dev/dri/renderD*)`);
      return driverOf.gpu(icds);
    }
    if (forced === 'lavapipe') {
      if (!files.exists(LAVAPIPE_ICD)) fail(`TVAE_ADAPTER=lavapipe but ${LAVAPIPE_ICD} is missing: run bash scripts/setup.sh (it installs Mesa 25's lavapipe there)`);
      return driverOf.lavapipe(files);
    }
    if (forced === 'swiftshader') {
      if (!files.exists(SWIFTSHADER_ICD)) fail(`TVAE_ADAPTER=swiftshader but ${SWIFTSHADER_ICD} is missing: install Debian's chromium (bash scripts/setup.sh)`);
      return driverOf.swiftshader();
    }
    fail(`TVAE_ADAPTER must be "gpu", "lavapipe" or "swiftshader" (or unset: the best one found), got "${forced}"`);
  }
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) {
    return { kind: 'environment', name: `the Vulkan driver named by ${env.VK_DRIVER_FILES ? `VK_DRIVER_FILES=${env.VK_DRIVER_FILES}` : `VK_ICD_FILENAMES=${env.VK_ICD_FILENAMES}`}`, icdFiles: [], libraryDirs: [] };
  }
  const icds = gpuIcdFiles(files);
  if (icds.length) return driverOf.gpu(icds);
  if (files.exists(LAVAPIPE_ICD)) return driverOf.lavapipe(files);
  if (files.exists(SWIFTSHADER_ICD)) return driverOf.swiftshader();
  fail(`the Node runtime found no Vulkan driver: no GPU driver, no ${LAVAPIPE_ICD} and no ${SWIFTSHADER_ICD}; run bash scripts/setup.sh`);
}

/** The environment the loader needs for a driver. Both variable names: newer loaders prefer
 *  VK_DRIVER_FILES over VK_ICD_FILENAMES, so a stale VK_DRIVER_FILES would win otherwise. */
export function vulkanEnv(driver: VulkanDriver, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  if (driver.icdFiles.length) out.VK_ICD_FILENAMES = out.VK_DRIVER_FILES = driver.icdFiles.join(':');
  const missing = driver.libraryDirs.filter((d) => !libraryPathHas(env, d));
  if (missing.length) out.LD_LIBRARY_PATH = [...missing, ...(env.LD_LIBRARY_PATH ? [env.LD_LIBRARY_PATH] : [])].join(':');
  return out;
}

export function libraryPathHas(env: NodeJS.ProcessEnv, dir: string): boolean {
  return (env.LD_LIBRARY_PATH ?? '').split(':').includes(dir);
}
