// Runs the project's CLIs as a user would, in a child process, and collects what they print.
// CLI tests run on the Node runtime (Dawn in-process) by default: no browser start per command,
// and the project's lavapipe is ~3x faster than Chromium's SwiftShader on a CPU. The tests that are
// about Chromium (its launch, its leftovers) and one end-to-end train + resume ask for it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/node/project_root.ts';
import { chooseVulkanDriver, vulkanEnv } from '../../src/node/vulkan_driver.ts';
import type { Runtime } from '../../src/node/worker.ts';
import { nodeArgs } from './compiled.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a CLI test's child gets. For the Node runtime the driver's LD_LIBRARY_PATH is
 *  set here, so the CLI does not relaunch itself (one node start less, and the pid a test sees is
 *  the process that trains and holds the lock); the relaunch has its own test (dawn_runtime). */
export function cliEnv(runtime: Runtime = 'node', base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, TVAE_RUNTIME: runtime };
  if (runtime === 'node') {
    const lib = vulkanEnv(chooseVulkanDriver(env), env).LD_LIBRARY_PATH;
    if (lib !== undefined) env.LD_LIBRARY_PATH = lib;
  }
  return env;
}

export interface CliOptions {
  /** where the GPU work runs (default: the Node runtime) */
  runtime?: Runtime;
  /** extra variables, over process.env */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function runCli(script: string, args: string[], timeoutMs = 300_000, opts: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, nodeArgs(script, args), {
    cwd: opts.cwd ?? projectRoot,
    env: cliEnv(opts.runtime, { ...process.env, ...opts.env }),
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `tvae-${prefix}-`));
