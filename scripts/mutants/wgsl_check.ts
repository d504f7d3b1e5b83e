// Compiles the WGSL files named on the command line with Dawn (Tint) and prints their errors.
// The mutation runner starts this (under the test runtime's Vulkan env) for every mutant that edits
// a shader, so a mutant that does not compile is reported as invalid rather than "caught".
import { readFileSync } from 'node:fs';
import { expandTiled, TILES } from '../../src/kernels/gemm_tiled.ts';
import { expandTemplate } from '../../src/kernels/wgsl_template.ts';
import { openDawnDevice } from '../../src/node/dawn_worker.ts';

// the unrolled GEMM variants are templates (src/kernels/wgsl_template.ts): checked as the
// pipeline would build them, at the largest expansion the variants use on lavapipe
// the tiled ones (src/kernels/gemm_tiled.ts) at their larger tile
const expanded = (code: string) => (code.includes('$LANES') ? expandTemplate(code, { LANES: 8, ROWS: 64, LOADS: 8 }) : code.includes('$TM') ? expandTiled(code, TILES[TILES.length - 1]) : code);

const { device } = await openDawnDevice();
let bad = 0;
for (const file of process.argv.slice(2)) {
  const module = device.createShaderModule({ label: file, code: expanded(readFileSync(file, 'utf8')) });
  const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
  for (const m of errors) console.log(`${file}:${m.lineNum}:${m.linePos}: ${m.message}`);
  bad += errors.length;
}
device.destroy();
process.exit(bad ? 1 : 0);
