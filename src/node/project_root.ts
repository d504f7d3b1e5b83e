// The repository's root folder, in a module of its own so the plain-Node runtime can find shaders/
// and .vendor/ without importing Vite (src/node/server.ts). TVAE_ROOT overrides it: in the GPU
// bundle (scripts/gpu-bundle.sh) the code is one esbuild output whose import.meta.url says
// nothing about where the shaders were unpacked, so the bundle's run.sh names the folder.
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

export const projectRoot = process.env.TVAE_ROOT ? resolve(process.env.TVAE_ROOT) : resolve(dirname(fileURLToPath(import.meta.url)), '../..');
