// Compiles the WGSL files named on the command line with Dawn (Tint) and prints their errors.
// The mutation runner starts this (under the test runtime's Vulkan env) for every mutant that edits
// a shader, so a mutant that does not compile is reported as invalid rather than "caught".
import { readFileSync } from 'node:fs';
import { openDawnDevice } from '../../src/node/dawn_worker.ts';

const { device } = await openDawnDevice();
let bad = 0;
for (const file of process.argv.slice(2)) {
  const module = device.createShaderModule({ label: file, code: readFileSync(file, 'utf8') });
  const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
  for (const m of errors) console.log(`${file}:${m.lineNum}:${m.linePos}: ${m.message}`);
  bad += errors.length;
}
device.destroy();
process.exit(bad ? 1 : 0);
