// The dynamic linker reads LD_LIBRARY_PATH once, when a process starts; setting process.env later
// does not reach the dlopen of a Vulkan driver. The project-local lavapipe needs its own libdrm
// (newer than Debian 12's) found that way, so a command that will use the Node runtime with it
// starts itself again — same node, same flags and arguments, same stdio — with LD_LIBRARY_PATH
// set, and passes on the child's exit code. This is simpler and sturdier than asking every user
// and script to set the variable, and costs one extra node start. No relaunch when the driver
// needs no libraries of its own (a GPU, SwiftShader) or the variable is already right.
import { spawn } from 'node:child_process';
import { chooseVulkanDriver, vulkanEnv } from './vulkan_driver.ts';

/** The child's exit code when this process relaunched itself (it must then do nothing else), or
 *  undefined when it can go on as it is. */
export async function relaunchWithDriverLibraries(extraEnv: Record<string, string> = {}): Promise<number | undefined> {
  const need = vulkanEnv(chooseVulkanDriver({ ...process.env, ...extraEnv })).LD_LIBRARY_PATH;
  if (need === undefined) return undefined;
  // only LD_LIBRARY_PATH is added: the child chooses the same driver itself, and no VK_* variable
  // set here would read there as "the user chose a driver"
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, ...extraEnv, LD_LIBRARY_PATH: need },
  });
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const onInt = forward('SIGINT'), onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt).on('SIGTERM', onTerm);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', onInt).off('SIGTERM', onTerm);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}
