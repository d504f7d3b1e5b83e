// The WGSL files of shaders/ read from disk, for runtimes without Vite (plain Node + Dawn); the
// page gets the same files bundled by Vite (src/page/shaders.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShaderLibrary } from '../gpu/context.ts';
import { projectRoot } from './project_root.ts';

export function readShaderLibrary(dir = join(projectRoot, 'shaders')): ShaderLibrary {
  const names = readdirSync(dir).filter((f) => f.endsWith('.wgsl'));
  return Object.fromEntries(names.map((f) => [f.slice(0, -'.wgsl'.length), readFileSync(join(dir, f), 'utf8')]));
}
