// The WGSL files of shaders/ read from disk, for runtimes without Vite (plain Node + Dawn), with
// each shader's includes of shaders/lib/ expanded (src/gpu/shader_include.ts); the page gets the
// same files bundled by Vite (src/page/shaders.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShaderLibrary } from '../gpu/context.ts';
import { buildShaderLibrary } from '../gpu/shader_include.ts';
import { projectRoot } from './project_root.ts';

function readWgsl(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const names = readdirSync(dir).filter((f) => f.endsWith('.wgsl'));
  return Object.fromEntries(names.map((f) => [f.slice(0, -'.wgsl'.length), readFileSync(join(dir, f), 'utf8')]));
}

export function readShaderLibrary(dir = join(projectRoot, 'shaders')): ShaderLibrary {
  return buildShaderLibrary(readWgsl(dir), readWgsl(join(dir, 'lib')));
}
