// Which WebGPU adapter headless Chromium is launched for: Mesa's lavapipe when the project-local one
// is installed (scripts/setup.sh), else SwiftShader. TVAE_CHROMIUM_ADAPTER=lavapipe|swiftshader
// forces one. Measured with Debian's Chromium 156 (docs/chromium-lavapipe.md has every flag tried):
// - Dawn's Vulkan adapter on lavapipe is listed but never handed to a page: Chromium only accepts a
//   Vulkan adapter that can share images by opaque-fd semaphores (or SwiftShader itself), and
//   lavapipe has no exportable opaque-fd semaphores. No flag lifts that check.
// - Dawn's OpenGL ES backend running on ANGLE, with ANGLE on Vulkan, IS offered, as a
//   "compatibility" feature-level adapter (requestAdapter({ featureLevel: 'compatibility' })).
//   With the Vulkan loader pointed at the project's lavapipe that is WebGPU on lavapipe:
//   ANGLE turns the GLSL that Dawn writes into SPIR-V, and lavapipe compiles it.
// The page (src/gpu/device.ts) asks for that compatibility adapter when the core one is only a
// fallback adapter, so the same page still runs on SwiftShader when Chromium offers nothing else.
import { existsSync, readFileSync } from 'node:fs';
import { fail } from '../errors.ts';
import { chooseVulkanDriver, LAVAPIPE_ICD, vulkanEnv, type MachineFiles } from './vulkan_driver.ts';

export type ChromiumAdapter = 'lavapipe' | 'swiftshader';

export interface ChromiumGpuPlan {
  adapter: ChromiumAdapter;
  /** extra Chromium flags for this adapter */
  args: string[];
  /** extra environment for the Chromium process (the Vulkan loader's driver, its libraries) */
  env: Record<string, string>;
  /** one line for logs: what was chosen and why */
  why: string;
}

/** ANGLE on Vulkan (headless Chromium picks SwiftShader's GL otherwise), Dawn on ANGLE's GLES
 *  for WebGPU, and the adapter's real name shown to the page (Chromium blanks it otherwise). */
export const LAVAPIPE_ARGS = ['--use-angle=vulkan', '--use-webgpu-adapter=opengles', '--enable-webgpu-developer-features'];

const onDisk: Pick<MachineFiles, 'exists' | 'read'> = { exists: existsSync, read: (p) => readFileSync(p, 'utf8') };

export function chromiumGpuPlan(env: NodeJS.ProcessEnv = process.env, files: Pick<MachineFiles, 'exists' | 'read'> = onDisk): ChromiumGpuPlan {
  const forced = env.TVAE_CHROMIUM_ADAPTER;
  if (forced !== undefined && forced !== '' && forced !== 'lavapipe' && forced !== 'swiftshader') {
    fail(`TVAE_CHROMIUM_ADAPTER must be "lavapipe" or "swiftshader" (or unset: lavapipe when installed), got "${forced}"`);
  }
  if (forced === 'swiftshader') return swiftshader('TVAE_CHROMIUM_ADAPTER=swiftshader');
  if (!files.exists(LAVAPIPE_ICD)) {
    if (forced === 'lavapipe') fail(`TVAE_CHROMIUM_ADAPTER=lavapipe but ${LAVAPIPE_ICD} is missing: run bash scripts/setup.sh (it installs Mesa 25's lavapipe there)`);
    return swiftshader(`no project-local lavapipe (${LAVAPIPE_ICD}; bash scripts/setup.sh installs it)`);
  }
  // the Node runtime's own choice of files, forced to lavapipe: the same ICD json and libraries
  const driver = chooseVulkanDriver({ TVAE_ADAPTER: 'lavapipe' }, { ...files, list: () => [] });
  return {
    adapter: 'lavapipe',
    args: LAVAPIPE_ARGS,
    env: vulkanEnv(driver, env),
    why: `lavapipe (${forced === 'lavapipe' ? 'TVAE_CHROMIUM_ADAPTER=lavapipe' : 'installed'}; WebGPU compatibility mode on ANGLE on Vulkan)`,
  };
}

function swiftshader(why: string): ChromiumGpuPlan {
  return { adapter: 'swiftshader', args: [], env: {}, why: `SwiftShader (${why})` };
}
