// The WGSL files of shaders/ and shaders/lib/, bundled by Vite as strings, with each shader's
// includes expanded (src/gpu/shader_include.ts): the WGSL you read is the WGSL that runs.
import type { ShaderLibrary } from '../gpu/context.ts';
import { buildShaderLibrary, byFileName } from '../gpu/shader_include.ts';

const files = import.meta.glob('../../shaders/*.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const lib = import.meta.glob('../../shaders/lib/*.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const shaderLibrary: ShaderLibrary = buildShaderLibrary(byFileName(files), byFileName(lib));
