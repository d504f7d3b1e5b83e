// Which test files npm test runs, where, and in what order (test/util/npm_test.ts runs them;
// chromium_pass.ts and node_pass.ts run one pass each).
// - The Chromium pass: every test file, in headless Chromium where a file opens a GPU harness.
//   The page tests time the page's main thread, so they run one at a time with at most one other
//   file beside them (npm_test.ts), and app_tool, which asserts the main thread's longest task,
//   with nothing beside it (QUIET); host_wait and stale_profiles, which read the machine's
//   processes, join them (they take a second). The fault
//   files run with the rest: their leftover-process and profile checks look for their own CLI's
//   pid, which no other file's browser or CLI carries.
// - The Node pass: the kernel and model files (those that open a GPU harness with useHarness)
//   again, in-process in plain Node on Mesa's lavapipe — a second adapter, and a compiler other
//   than SwiftShader's, behind every kernel. The files are found, not listed, so a new kernel
//   test joins both passes by itself.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/node/project_root.ts';
import { chooseVulkanDriver, vulkanEnv } from '../../src/node/vulkan_driver.ts';
import type { TestJob } from './pool.ts';

const ALONE = /^(app_|playground_page|tables_page|stale_profiles|host_wait)/;
/** page files that time the main thread's longest task: nothing runs beside them */
const QUIET = /^app_tool\./;

// The files that took longest in npm test (wall seconds in the pool, compiled, quiet machine, issue
// 21), longest first: a pool that starts them first ends with short files instead of one long file
// running by itself. Only the order depends on this list; a file missing from it runs after these,
// in name order.
const LONGEST_FIRST = [
  'latent_study', 'faults', 'gemm_tiled', 'bench_quick', 'gemm', 'bench_node', 'train_cli', 'mwg_eval', 'eval_cli',
  'student_t_study', 'faults_jobs', 'tables_resume', 'cnn_cli', 'ref_vae', 'kl_oracle', 'tables_study', 'dawn_runtime',
  'covariance_study', 'vae_gradients', 'train_errors', 'tune_gpu', 'kernel_resume', 'faults_files', 'impute_resume_line',
  'impute_cli', 'bounds', 'table_vae', 'conv_definition',
].map((name) => `${name}.test.ts`);

function byCost(files: string[]): string[] {
  const rank = (f: string) => (LONGEST_FIRST.includes(f) ? LONGEST_FIRST.indexOf(f) : LONGEST_FIRST.length);
  return [...files].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const testDir = join(projectRoot, 'test');

/** test/*.test.ts, or just `only` (names with or without test/) */
export function testFiles(only: string[] = []): string[] {
  const names = only.map((f) => f.replace(/^test\//, ''));
  return readdirSync(testDir).filter((f) => f.endsWith('.test.ts') && (names.length === 0 || names.includes(f))).sort();
}

export function chromiumJobs(files: string[], env: NodeJS.ProcessEnv = process.env): { quiet: TestJob[]; alone: TestJob[]; rest: TestJob[] } {
  const job = (file: string): TestJob => ({ file, label: 'Chromium', env });
  return {
    quiet: files.filter((f) => QUIET.test(f)).map(job),
    alone: files.filter((f) => ALONE.test(f) && !QUIET.test(f)).map(job),
    rest: byCost(files.filter((f) => !ALONE.test(f))).map(job),
  };
}

/** The Node pass's jobs on lavapipe (TVAE_ADAPTER overrides); throws, naming scripts/setup.sh, when
 *  the project's lavapipe is not installed. LD_LIBRARY_PATH (lavapipe's own libdrm) must be in
 *  place when each test process starts, so it is set here. */
export function nodeJobs(files: string[], extra: NodeJS.ProcessEnv = {}): TestJob[] {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, TVAE_TEST_RUNTIME: 'node', TVAE_ADAPTER: process.env.TVAE_ADAPTER || 'lavapipe' };
  const driverEnv = vulkanEnv(chooseVulkanDriver(env), env);
  delete driverEnv.VK_ICD_FILENAMES; // the test processes choose the driver themselves (TVAE_ADAPTER)
  delete driverEnv.VK_DRIVER_FILES;
  const label = `Node + ${env.TVAE_ADAPTER}`;
  return byCost(files.filter((f) => /\buseHarness\(/.test(readFileSync(join(testDir, f), 'utf8')))).map((file) => ({ file, label, env: { ...env, ...driverEnv } }));
}
