// The plain-Node runtime (Dawn): which Vulkan driver it chooses from the machine's files, and that
// runs in a row — each opening a worker twice in one process with a forced garbage collection in
// between — all exit cleanly with identical results (one Dawn instance per process, never dropped).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/node/project_root.ts';
import { tempDir } from './util/cli.ts';
import { nodeArgs } from './util/compiled.ts';
import { chooseVulkanDriver, gpuIcdFiles, LAVAPIPE_ICD, SWIFTSHADER_ICD, vulkanEnv, type MachineFiles } from '../src/node/vulkan_driver.ts';

/** A machine made of the listed files; folders are whatever paths start with them. */
function machine(paths: string[], contents: Record<string, string> = {}): MachineFiles {
  return {
    exists: (p) => paths.includes(p) || p in contents,
    list: (dir) => [...paths, ...Object.keys(contents)].filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1)),
    read: (p) => contents[p] ?? assert.fail(`read of ${p}`),
  };
}
const lavapipeIcd = { [LAVAPIPE_ICD]: JSON.stringify({ ICD: { library_path: '/opt/x/usr/lib/libvulkan_lvp.so' } }) };
const mesaIcds = ['/usr/share/vulkan/icd.d/intel_icd.x86_64.json', '/usr/share/vulkan/icd.d/radeon_icd.x86_64.json', '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json'];
const nvidia = '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json';

test('a GPU driver counts only with its device node: Mesa\'s intel/radeon files alone are not a GPU', () => {
  assert.deepEqual(gpuIcdFiles(machine([...mesaIcds, SWIFTSHADER_ICD])), []);
  assert.deepEqual(gpuIcdFiles(machine([...mesaIcds, '/dev/dri/renderD128'])), mesaIcds.slice(0, 2));
  assert.deepEqual(gpuIcdFiles(machine([nvidia, ...mesaIcds])), []);
  assert.deepEqual(gpuIcdFiles(machine([nvidia, '/dev/nvidiactl', ...mesaIcds])), [nvidia]);
});

test('order: GPU, then the project-local lavapipe, then SwiftShader', () => {
  const all = machine([nvidia, '/dev/nvidiactl', SWIFTSHADER_ICD], lavapipeIcd);
  assert.equal(chooseVulkanDriver({}, all).kind, 'gpu');
  const lvp = chooseVulkanDriver({}, machine([...mesaIcds, SWIFTSHADER_ICD], lavapipeIcd));
  assert.equal(lvp.kind, 'lavapipe');
  assert.deepEqual(lvp.icdFiles, [LAVAPIPE_ICD]);
  assert.deepEqual(lvp.libraryDirs, ['/opt/x/usr/lib']);
  assert.deepEqual(vulkanEnv(lvp, {}), { VK_ICD_FILENAMES: LAVAPIPE_ICD, VK_DRIVER_FILES: LAVAPIPE_ICD, LD_LIBRARY_PATH: '/opt/x/usr/lib' });
  assert.equal(vulkanEnv(lvp, { LD_LIBRARY_PATH: '/opt/x/usr/lib' }).LD_LIBRARY_PATH, undefined);
  assert.equal(chooseVulkanDriver({}, machine([...mesaIcds, SWIFTSHADER_ICD])).kind, 'swiftshader');
  assert.throws(() => chooseVulkanDriver({}, machine(mesaIcds)), /found no Vulkan driver.*run bash scripts\/setup.sh/);
});

test('TVAE_ADAPTER forces one, with a clear error when it is absent or misspelt', () => {
  const all = machine([nvidia, '/dev/nvidiactl', SWIFTSHADER_ICD], lavapipeIcd);
  assert.equal(chooseVulkanDriver({ TVAE_ADAPTER: 'swiftshader' }, all).kind, 'swiftshader');
  assert.equal(chooseVulkanDriver({ TVAE_ADAPTER: 'lavapipe', VK_ICD_FILENAMES: '/x.json' }, all).kind, 'lavapipe');
  assert.throws(() => chooseVulkanDriver({ TVAE_ADAPTER: 'gpu' }, machine([nvidia, SWIFTSHADER_ICD])), /TVAE_ADAPTER=gpu but no GPU Vulkan driver/);
  assert.throws(() => chooseVulkanDriver({ TVAE_ADAPTER: 'lavapipe' }, machine([SWIFTSHADER_ICD])), /TVAE_ADAPTER=lavapipe but .*lvp_icd.json is missing: run bash scripts\/setup.sh/);
  assert.throws(() => chooseVulkanDriver({ TVAE_ADAPTER: 'swiftshader' }, machine([])), /TVAE_ADAPTER=swiftshader but .* is missing/);
  assert.throws(() => chooseVulkanDriver({ TVAE_ADAPTER: 'cuda' }, all), /TVAE_ADAPTER must be "gpu", "lavapipe" or "swiftshader".*got "cuda"/);
  assert.equal(chooseVulkanDriver({ VK_ICD_FILENAMES: '/x.json' }, all).kind, 'environment');
});

/** Both software adapters are part of the set-up (a missing one fails, never skips). */
function requireAdapter(adapter: string): void {
  const icd = adapter === 'lavapipe' ? LAVAPIPE_ICD : SWIFTSHADER_ICD;
  assert.ok(existsSync(icd), `${icd} is missing: run bash scripts/setup.sh`);
}

for (const adapter of ['swiftshader', 'lavapipe']) {
  test(`${adapter}: 4 Node-runtime processes in a row, two workers each with a gc between, all clean and identical`, () => {
    requireAdapter(adapter);
    const env: NodeJS.ProcessEnv = { ...process.env, TVAE_ADAPTER: adapter };
    delete env.VK_ICD_FILENAMES;
    delete env.VK_DRIVER_FILES;
    Object.assign(env, vulkanEnv(chooseVulkanDriver(env), env)); // LD_LIBRARY_PATH must be set at the child's start
    const outputs: string[] = [];
    for (let run = 0; run < 4; run++) {
      const r = spawnSync(process.execPath, nodeArgs('test/util/dawn_twice.ts', [], ['--expose-gc']), { cwd: projectRoot, env, encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, `run ${run} ended with status ${r.status} signal ${r.signal}:\n${r.stderr}`);
      outputs.push(r.stdout.trim());
    }
    const first = JSON.parse(outputs[0]) as { first: { driver: string; trainLoss: number }; second: unknown };
    console.log(`${adapter}: ${outputs[0]}`);
    assert.match(first.first.driver, new RegExp(adapter, 'i'));
    assert.ok(Number.isFinite(first.first.trainLoss));
    assert.deepEqual(first.second, first.first, 'the second worker in a process gives the same result as the first');
    for (const o of outputs) assert.equal(o, outputs[0], 'every process gives the same result');
  });
}

test('a CLI on the Node runtime with lavapipe relaunches itself with LD_LIBRARY_PATH and trains there', () => {
  requireAdapter('lavapipe');
  const env: NodeJS.ProcessEnv = { ...process.env, TVAE_RUNTIME: 'node', TVAE_ADAPTER: 'lavapipe' };
  delete env.LD_LIBRARY_PATH;
  const out = join(tempDir('relaunch'), 'run');
  const r = spawnSync(process.execPath, nodeArgs('src/cli/train.ts', ['--limit', '500', '--valid-limit', '500', '--epochs', '1', '--batch', '100', '--hidden', '16', '--latent', '2', '--out', out]), { cwd: projectRoot, env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /adapter: mesa .*llvmpipe.*runtime: node \(lavapipe/);
  assert.match(r.stdout, /done: 1 epochs/);
});

test('setup finds the Debian mirror the machine already uses (one-line and deb822 sources), naming none itself', () => {
  const etc = tempDir('apt-etc');
  mkdirSync(join(etc, 'sources.list.d'));
  const mirror = (files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(etc, name), text);
    return spawnSync('bash', [join(projectRoot, 'scripts/lavapipe.sh'), '--mirror'], { env: { ...process.env, TVAE_APT_ETC: etc }, encoding: 'utf8' }).stdout.trim();
  };
  assert.equal(mirror({}), '');
  const deb822 = 'Types: deb\nURIs: http://security.example/debian-security\nSuites: bookworm-security\nComponents: main\n\nTypes: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\n';
  assert.equal(mirror({ 'sources.list.d/debian.sources': deb822 }), 'http://mirror.example/debian');
  assert.equal(mirror({ 'sources.list': 'deb [arch=amd64 signed-by=/k.gpg] http://one.example/debian bookworm main\n' }), 'http://one.example/debian');
});
