// npm test's second pass: the kernel and model tests (the files that open a GPU harness with
// useHarness) again, in-process in plain Node on Mesa's lavapipe — a second adapter, and a
// compiler other than SwiftShader's, behind every kernel. The files are found, not listed, so a
// new kernel test joins by itself. LD_LIBRARY_PATH (lavapipe's own libdrm) must be in place when
// each test process starts, so this runner sets it and starts node --test under it. Two files at
// a time: these tests time nothing, and one file's start-up (Dawn, pipelines) overlaps the other's work.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/node/project_root.ts';
import { chooseVulkanDriver, vulkanEnv } from '../../src/node/vulkan_driver.ts';

const env: NodeJS.ProcessEnv = { ...process.env, TVAE_TEST_RUNTIME: 'node', TVAE_ADAPTER: process.env.TVAE_ADAPTER || 'lavapipe' };
let driverEnv: Record<string, string>;
try {
  driverEnv = vulkanEnv(chooseVulkanDriver(env), env); // fails, naming scripts/setup.sh, without lavapipe
} catch (e) {
  console.error(`npm test, Node pass: ${(e as Error).message}`);
  process.exit(1);
}
delete driverEnv.VK_ICD_FILENAMES; // the test processes choose the driver themselves (TVAE_ADAPTER)
delete driverEnv.VK_DRIVER_FILES;

const testDir = join(projectRoot, 'test');
const files = readdirSync(testDir)
  .filter((f) => f.endsWith('.test.ts') && /\buseHarness\(/.test(readFileSync(join(testDir, f), 'utf8')))
  .sort()
  .map((f) => join('test', f));
console.log(`npm test, Node pass (${env.TVAE_ADAPTER}): ${files.length} kernel and model test files`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  cwd: projectRoot,
  env: { ...env, ...driverEnv },
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
