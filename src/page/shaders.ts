// The WGSL files of shaders/, bundled by Vite as strings (the WGSL you read is the WGSL that runs).
import type { ShaderLibrary } from '../gpu/context.ts';

const files = import.meta.glob('../../shaders/*.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const shaderLibrary: ShaderLibrary = Object.fromEntries(
  Object.entries(files).map(([path, code]) => [path.replace(/^.*\//, '').replace(/\.wgsl$/, ''), code]),
);
