// Which adapter headless Chromium is launched for (src/node/chromium_adapter.ts), decided from the
// files on the machine and TVAE_CHROMIUM_ADAPTER alone: no browser is started here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromiumGpuPlan, LAVAPIPE_ARGS } from '../src/node/chromium_adapter.ts';
import { LAVAPIPE_ICD } from '../src/node/vulkan_driver.ts';

const LIB = '/opt/lvp/usr/lib/x86_64-linux-gnu';
const installed = { exists: (p: string) => p === LAVAPIPE_ICD, read: () => JSON.stringify({ ICD: { library_path: `${LIB}/libvulkan_lvp.so` } }) };
const missing = { exists: () => false, read: () => '' };

test('lavapipe when it is installed: ANGLE on Vulkan, Dawn on GLES, the loader at the private ICD and its libraries', () => {
  const plan = chromiumGpuPlan({ LD_LIBRARY_PATH: '/x' }, installed);
  assert.equal(plan.adapter, 'lavapipe');
  assert.deepEqual(plan.args, LAVAPIPE_ARGS);
  assert.ok(plan.args.includes('--use-angle=vulkan') && plan.args.includes('--use-webgpu-adapter=opengles'));
  assert.equal(plan.env.VK_DRIVER_FILES, LAVAPIPE_ICD);
  assert.equal(plan.env.VK_ICD_FILENAMES, LAVAPIPE_ICD);
  assert.equal(plan.env.LD_LIBRARY_PATH, `${LIB}:/x`);
  assert.match(plan.why, /^lavapipe \(installed;/);
});

test('SwiftShader, with the reason, when lavapipe is not installed or TVAE_CHROMIUM_ADAPTER=swiftshader', () => {
  const absent = chromiumGpuPlan({}, missing);
  assert.deepEqual({ adapter: absent.adapter, args: absent.args, env: absent.env }, { adapter: 'swiftshader', args: [], env: {} });
  assert.match(absent.why, /no project-local lavapipe .*scripts\/setup\.sh/);
  const forced = chromiumGpuPlan({ TVAE_CHROMIUM_ADAPTER: 'swiftshader' }, installed);
  assert.equal(forced.adapter, 'swiftshader');
  assert.match(forced.why, /TVAE_CHROMIUM_ADAPTER=swiftshader/);
});

test('TVAE_CHROMIUM_ADAPTER=lavapipe without lavapipe, or an unknown value, is one clear error naming it', () => {
  assert.throws(() => chromiumGpuPlan({ TVAE_CHROMIUM_ADAPTER: 'lavapipe' }, missing), /TVAE_CHROMIUM_ADAPTER=lavapipe but .*lvp_icd\.json is missing/);
  assert.equal(chromiumGpuPlan({ TVAE_CHROMIUM_ADAPTER: 'lavapipe' }, installed).adapter, 'lavapipe');
  assert.throws(() => chromiumGpuPlan({ TVAE_CHROMIUM_ADAPTER: 'gpu' }, installed), /TVAE_CHROMIUM_ADAPTER must be "lavapipe" or "swiftshader".*got "gpu"/);
});
