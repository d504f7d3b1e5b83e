// Compiles shaders with Dawn (Tint) and prints their errors, each shader as the pipeline builds it:
// includes of shaders/lib/ expanded (src/gpu/shader_include.ts), the unrolled GEMM templates
// expanded. Arguments: shader files as they are on disk now; shaders/<name>.wgsl checks that
// shader, shaders/lib/<name>.wgsl every shader that includes it; none checks every shader.
// The mutation runner starts this (under the test runtime's Vulkan env) with a mutant's shader
// files written in place, so a mutant that does not compile is reported as invalid, not "caught".
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expandTiled, TILES } from '../../src/kernels/gemm_tiled.ts';
import { expandTemplate } from '../../src/kernels/wgsl_template.ts';
import { openDawnDevice } from '../../src/node/dawn_worker.ts';
import { projectRoot } from '../../src/node/project_root.ts';
import { readShaderLibrary } from '../../src/node/shader_files.ts';

// the unrolled GEMM variants are templates (src/kernels/wgsl_template.ts): checked as the
// pipeline would build them, at the largest expansion the variants use on lavapipe
// the tiled ones (src/kernels/gemm_tiled.ts) at their larger tile
const expanded = (code: string) => (code.includes('$LANES') ? expandTemplate(code, { LANES: 8, ROWS: 64, LOADS: 8 }) : code.includes('$TM') ? expandTiled(code, TILES[TILES.length - 1]) : code);

const library = readShaderLibrary();
const rawOf = (name: string) => readFileSync(join(projectRoot, 'shaders', `${name}.wgsl`), 'utf8');
const names = new Set<string>();
for (const file of process.argv.slice(2)) {
  const name = basename(file).replace(/\.wgsl$/, '');
  if (/(^|\/)shaders\/lib\//.test(file)) {
    const users = Object.keys(library).filter((s) => rawOf(s).includes(`// #include "lib/${name}.wgsl"`));
    if (!users.length) { console.log(`${file}: no shader includes it`); process.exit(1); }
    for (const s of users) names.add(s);
  } else {
    if (!(name in library)) { console.log(`${file}: not a shader of shaders/`); process.exit(1); }
    names.add(name);
  }
}
if (process.argv.length <= 2) for (const s of Object.keys(library)) names.add(s);

const { device } = await openDawnDevice();
let bad = 0;
for (const name of [...names].sort()) {
  const module = device.createShaderModule({ label: name, code: expanded(library[name]) });
  const errors = (await module.getCompilationInfo()).messages.filter((m) => m.type === 'error');
  for (const m of errors) console.log(`shaders/${name}.wgsl (expanded):${m.lineNum}:${m.linePos}: ${m.message}`);
  bad += errors.length;
}
console.log(`${names.size} shaders compiled, ${bad} errors`);
device.destroy();
process.exit(bad ? 1 : 0);
